/**
 * Upload requests (issue 12, part 4): support asks a customer to upload their own credential.
 * A request is one organization, one credential kind and one e-mail address, valid 7 days, and
 * its link is a random token of which only the hash is stored (accounts/one-time-tokens.ts).
 * The link is dead once a credential was uploaded through it, once support revoked it, and
 * after 7 days (the injected clock decides). Every change is audited in the same transaction;
 * the token never reaches the trail, the logs or the database.
 */
import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { UploadRequestRow } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { generateToken, hashToken } from '../accounts/one-time-tokens.js';
import { isoPlus } from '../clock.js';
import type { Mailer, MailOutcome } from '../mail/mailer.js';
import type { CredentialKind } from '../mail/mail-templates.js';

/** Valid 7 days, as the issue asks. */
export const UPLOAD_REQUEST_TTL_MS = 7 * 24 * 3_600_000;

/** What support sees of a request on the organization page. */
export type UploadRequestStatus = 'sent' | 'opened' | 'uploaded' | 'expired' | 'revoked';

/** Why a link cannot be used. */
export type UploadRequestProblem = 'unknown' | 'used' | 'expired' | 'revoked';

export interface UploadRequestView {
  id: string;
  credential: CredentialKind;
  email: string;
  createdAt: Date;
  expiresAt: Date;
  status: UploadRequestStatus;
}

export interface NewUploadRequest {
  organizationId: string;
  organizationName: string;
  rfc: string | null;
  credential: CredentialKind;
  email: string;
  language: 'es' | 'en';
  /** Where the app is reached from outside (PUBLIC_URL), for the link. */
  publicUrl: string;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function statusOf(row: UploadRequestRow, now: Date): UploadRequestStatus {
  // Uploaded first: an upload already running when support revoked still installed the certificate.
  if (row.used_at !== null) return 'uploaded';
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at <= now.toISOString()) return 'expired';
  return row.opened_at !== null ? 'opened' : 'sent';
}

/**
 * Creates the request, audits it and e-mails the link. The link is returned for the one page that
 * shows it to support (the POST's response, not stored); otherwise it exists only in the e-mail sent.
 */
export async function createUploadRequest(
  deps: { db: Executor; audit: AuditTrail; mailer: Mailer },
  input: NewUploadRequest,
  ctx: ActionContext,
): Promise<{ id: string; mail: MailOutcome; link: string; expiresAt: Date }> {
  const { id, token, expiresAt } = await recordUploadRequest(deps, input, ctx);
  const mail = await deps.mailer.send({
    kind: 'upload_request', to: input.email, language: input.language, organizationId: input.organizationId,
    facts: { organizationName: input.organizationName, rfc: input.rfc, credential: input.credential, link: uploadRequestLink(input.publicUrl, token), expiresAt: new Date(expiresAt) },
  });
  return { id, mail, link: uploadRequestLink(input.publicUrl, token), expiresAt: new Date(expiresAt) };
}

/**
 * Creates a request and its audit event and returns the raw token, sending nothing: for a caller
 * that puts the link in its own e-mail (a reminder to an organization without account admins).
 * Any credential kind: whoever calls it decides which kinds the upload link can take.
 */
export async function issueUploadRequest(
  deps: { db: Executor; audit: AuditTrail },
  input: Pick<NewUploadRequest, 'organizationId' | 'credential' | 'email' | 'language' | 'publicUrl'> & { via?: 'reminder' },
  ctx: ActionContext,
): Promise<{ id: string; link: string; expiresAt: Date }> {
  const { id, token, expiresAt } = await recordUploadRequest(deps, input, ctx);
  return { id, link: uploadRequestLink(input.publicUrl, token), expiresAt: new Date(expiresAt) };
}

async function recordUploadRequest(
  deps: { db: Executor; audit: AuditTrail },
  input: Pick<NewUploadRequest, 'organizationId' | 'credential' | 'email' | 'language'> & { via?: 'reminder' },
  ctx: ActionContext,
): Promise<{ id: string; token: string; expiresAt: string }> {
  const now = ctx.now();
  const token = generateToken();
  const id = randomUUID();
  const expiresAt = isoPlus(now, UPLOAD_REQUEST_TTL_MS);
  await inTransaction(deps.db, async (trx) => {
    await trx.insertInto('upload_requests').values({
      id, token_hash: hashToken(token), organization_id: input.organizationId, credential_kind: input.credential,
      email: input.email, language: input.language, created_by: ctx.actor?.id ?? null,
      created_at: now.toISOString(), expires_at: expiresAt, opened_at: null, busy_until: null, used_at: null, revoked_at: null, revoked_by: null,
    }).execute();
    await deps.audit.record({
      ...auditOrigin(ctx), action: 'upload_request.created', outcome: 'success', organizationId: input.organizationId,
      detail: { uploadRequestId: id, credential: input.credential, email: input.email, expiresAt, ...(input.via ? { via: input.via } : {}) },
    }, trx);
  });
  return { id, token, expiresAt };
}

/** The request a raw token names, if it can still be used now. */
export async function findUsableRequest(db: Executor, rawToken: string, now: Date): Promise<{ ok: true; row: UploadRequestRow } | { ok: false; reason: UploadRequestProblem }> {
  // Shape first: garbage never reaches the database.
  if (!TOKEN_SHAPE.test(rawToken)) return { ok: false, reason: 'unknown' };
  const row = await db.selectFrom('upload_requests').selectAll().where('token_hash', '=', hashToken(rawToken)).executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  const status = statusOf(row, now);
  if (status === 'revoked') return { ok: false, reason: 'revoked' };
  if (status === 'uploaded') return { ok: false, reason: 'used' };
  if (status === 'expired') return { ok: false, reason: 'expired' };
  return { ok: true, row };
}

/** Notes the first opening (the status 'opened'). */
export async function markOpened(db: Executor, id: string, now: Date): Promise<void> {
  await db.updateTable('upload_requests').set({ opened_at: now.toISOString() }).where('id', '=', id).where('opened_at', 'is', null).execute();
}

/** How long one upload holds the link: well past any upload's deadlines, so a crashed one frees it. */
export const UPLOAD_HOLD_MS = 5 * 60_000;

/**
 * Holds the link for one upload: a single conditional UPDATE, so of two uploads at once (even on
 * two instances) only one is inspected and relayed; the other is told to wait. False: busy or dead.
 */
export async function holdForUpload(db: Executor, id: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db.updateTable('upload_requests').set({ busy_until: isoPlus(now, UPLOAD_HOLD_MS) })
    .where('id', '=', id).where('used_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', at)
    .where((eb) => eb.or([eb('busy_until', 'is', null), eb('busy_until', '<=', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Lets the link be used again (after an upload that did not install anything). */
export async function releaseHold(db: Executor, id: string): Promise<void> {
  await db.updateTable('upload_requests').set({ busy_until: null }).where('id', '=', id).execute();
}

/**
 * Closes the request after a successful upload through it: one conditional UPDATE, so the link
 * is dead from then on, and audited with it.
 */
export async function markUsed(deps: { db: Executor; audit: AuditTrail }, row: UploadRequestRow, certificateNumber: string, ctx: ActionContext): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const at = ctx.now().toISOString();
    const result = await trx.updateTable('upload_requests').set({ used_at: at, busy_until: null }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return;
    await deps.audit.record({
      ...auditOrigin(ctx), action: 'upload_request.used', outcome: 'success', organizationId: row.organization_id,
      detail: { uploadRequestId: row.id, credential: row.credential_kind, certificateNumber },
    }, trx);
  });
}

/** Revokes a request of this organization; false when there is none still open. */
export async function revokeUploadRequest(deps: { db: Executor; audit: AuditTrail }, organizationId: string, id: string, ctx: ActionContext): Promise<boolean> {
  return inTransaction(deps.db, async (trx) => {
    const at = ctx.now().toISOString();
    const result = await trx.updateTable('upload_requests').set({ revoked_at: at, revoked_by: ctx.actor?.id ?? null })
      .where('id', '=', id).where('organization_id', '=', organizationId).where('revoked_at', 'is', null).where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await deps.audit.record({ ...auditOrigin(ctx), action: 'upload_request.revoked', outcome: 'success', organizationId, detail: { uploadRequestId: id } }, trx);
    return true;
  });
}

/** The organization's latest requests, newest first, with their status now. */
export async function listUploadRequests(db: Executor, organizationId: string, now: Date, limit = 20): Promise<UploadRequestView[]> {
  const rows = await db.selectFrom('upload_requests').selectAll().where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id, credential: row.credential_kind, email: row.email,
    createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at), status: statusOf(row, now),
  }));
}

/** The customer's link: PUBLIC_URL, the path, the raw token (a secret: shown once, e-mailed, never stored). */
export function uploadRequestLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/upload-requests/${token}`;
}
