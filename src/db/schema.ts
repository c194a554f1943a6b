import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely table types. Times are ISO-8601 UTC text (`Date#toISOString()`), so they sort and
 * compare as strings and port unchanged to PostgreSQL; ids are random UUID text.
 */
export interface Database {
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  audit_events: AuditEventsTable;
  readiness_heartbeat: ReadinessHeartbeatTable;
  mail_messages: MailMessagesTable;
  expiry_reminders: ExpiryRemindersTable;
  job_leases: JobLeasesTable;
  rate_limit_hits: RateLimitHitsTable;
  cache_generations: CacheGenerationsTable;
  upload_requests: UploadRequestsTable;
  reminder_contacts: ReminderContactsTable;
}

/** A person who can log in. `password_hash` stays null until an invitation is accepted. */
export interface UsersTable {
  id: string;
  /** Always stored lower-cased and trimmed; unique. */
  email: string;
  name: string;
  role: 'support' | 'account_admin';
  password_hash: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  /** 1 for the accounts demo mode seeds (printed passwords); live mode refuses to start with any. */
  demo: Generated<number>;
  /** Language of the e-mails this person gets ('es' default, 'en'). */
  language: Generated<'es' | 'en'>;
  /** Set when the person turned expiry reminders off (settings page or the e-mail's link). */
  reminders_opted_out_at: Generated<string | null>;
}

/** An account admin's access to one Facturapi organization (24-hex id). */
export interface MembershipsTable {
  user_id: string;
  organization_id: string;
  created_at: string;
  /** Null when created by the operator CLI or the demo seed. */
  created_by: string | null;
}

/** express-session rows. `sid_hash` is sha256(sid): a leaked table cannot be replayed as cookies. */
export interface SessionsTable {
  sid_hash: string;
  user_id: string | null;
  data: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Purposes of one-time links. */
export type TokenPurpose = 'setup' | 'invitation' | 'password_reset';

/**
 * One-time links of every purpose: first-run setup, invitations and password resets.
 * Only sha256 of the token is stored; the raw token exists only in the link.
 */
export interface InvitationsTable {
  id: string;
  token_hash: string;
  purpose: TokenPurpose;
  /** Null for the setup token (no user exists yet). */
  user_id: string | null;
  email: string | null;
  organization_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/**
 * Append-only audit trail. `detail` is a JSON object without secrets. The one update: an attempt
 * written before a change at Facturapi (outcome `unknown`) is completed once with its outcome.
 */
export interface AuditEventsTable {
  id: string;
  occurred_at: string;
  actor_user_id: string | null;
  actor_email: string | null;
  actor_role: string | null;
  organization_id: string | null;
  action: string;
  outcome: 'success' | 'failure' | 'denied' | 'unknown';
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  detail: string | null;
}

/** One row (id 1) that `/readyz` rewrites to prove the database takes writes. */
export interface ReadinessHeartbeatTable {
  id: number;
  checked_at: string;
}

/**
 * Every e-mail the app sent or tried to send; without SMTP_URL, the outbox. The bodies are stored
 * with one-time and signed links replaced by a marker: a token never reaches the database.
 */
export interface MailMessagesTable {
  id: string;
  created_at: string;
  kind: 'invitation' | 'password_reset' | 'expiry_reminder' | 'upload_request';
  recipient: string;
  language: 'es' | 'en';
  subject: string;
  text_body: string;
  html_body: string;
  /** `outbox`: kept here only (no SMTP_URL); `smtp`: handed to the SMTP server. */
  transport: 'outbox' | 'smtp';
  status: 'stored' | 'sent' | 'failed';
  attempts: number;
  /** nodemailer's error code (e.g. ECONNECTION, EENVELOPE) or a response code; never the message. */
  error_code: string | null;
  sent_at: string | null;
  user_id: string | null;
  organization_id: string | null;
  reminder_id: string | null;
}

/** One claimed expiry reminder: unique per organization, credential kind, certificate number and threshold. */
export interface ExpiryRemindersTable {
  id: string;
  organization_id: string;
  credential_kind: 'csd' | 'fiel';
  certificate_number: string;
  threshold_days: number;
  expires_at: string;
  days_left: number;
  claimed_at: string;
  claimed_by: string;
  status: 'claimed' | 'sent' | 'failed';
  finished_at: string | null;
}

/** A lease on a named job: held by one run until expires_at. */
export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

/** express-rate-limit counters shared by every instance (accounts/web/db-rate-limit-store.ts). */
export interface RateLimitHitsTable {
  /** Which limiter (login per IP, login throttle per client…). */
  store: string;
  key: string;
  hits: number;
  /** End of the key's fixed window (ISO). */
  reset_at: string;
}

/** Bumped when a cached view of Facturapi goes stale, so every instance refetches (radar). */
export interface CacheGenerationsTable {
  name: string;
  generation: number;
}

/**
 * A one-time upload link support e-mailed to a customer (issue 12, part 4): one organization, one
 * credential. Only sha256 of the token is stored; the raw token exists only in the e-mail sent.
 */
export interface UploadRequestsTable {
  id: string;
  token_hash: string;
  organization_id: string;
  credential_kind: 'csd' | 'fiel';
  /** Where the link was e-mailed (typed by support). */
  email: string;
  language: 'es' | 'en';
  created_by: string | null;
  created_at: string;
  expires_at: string;
  /** First time the link was opened. */
  opened_at: string | null;
  /** An upload through the link holds it until then (claimed by one conditional UPDATE, released after). */
  busy_until: string | null;
  /** When a credential was uploaded through it: the link is dead from then on. */
  used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/**
 * Who gets an organization's expiry reminders when it has no account admin (set by support on
 * its page): an e-mail address and its language. One row per organization, or none.
 */
export interface ReminderContactsTable {
  organization_id: string;
  email: string;
  language: 'es' | 'en';
  set_by: string | null;
  set_at: string;
}

export type UploadRequestRow = Selectable<UploadRequestsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
