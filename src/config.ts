/**
 * The only reader of the environment. Loads `.env` (quietly: dotenv's banner would break JSON
 * logs), validates every key with one zod schema and returns a frozen, typed config. On a bad
 * value it throws a ConfigError that lists every problem with how to fix it, so start-up fails
 * once with the whole list instead of one problem per restart.
 */
import path from 'node:path';
import dotenv from 'dotenv';
import { Cron } from 'croner';
import { z } from 'zod';
import { isLoopbackHostname } from './loopback.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

const intInRange = (min: number, max: number, fallback: number) => {
  const error = `must be a whole number between ${min} and ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback);
};

const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Each key documents itself; `.env.example` repeats these descriptions. */
const envSchema = z.object({
  /** development | production | test. Production turns on secure cookies and the strict key checks. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Interface to listen on. Loopback by default: the app holds a master Facturapi key. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** TCP port of the web app. */
  PORT: intInRange(0, 65535, 3000),
  /** Public origin used in links printed for people (setup, invitations). Defaults to http://HOST:PORT. https makes cookies Secure and __Host- (needs TRUST_PROXY_HOPS). */
  PUBLIC_URL: z.url({ error: 'must be an absolute URL such as https://csd.example.com' }).optional(),
  /** Facturapi API base URL, including the version. */
  FACTURAPI_BASE_URL: z.url({ error: 'must be an absolute URL such as https://www.facturapi.io/v2' }).default('https://www.facturapi.io/v2'),
  /** Facturapi user key (sk_user_…). When absent the app runs the built-in local emulator instead. */
  FACTURAPI_USER_KEY: z.string().min(1).optional(),
  /** Deadline for one Facturapi operation, retries included, in milliseconds. */
  FACTURAPI_TIMEOUT_MS: intInRange(500, 120_000, 20_000),
  /** Port of the built-in emulator in demo mode (0 picks a free one). */
  EMULATOR_PORT: intInRange(0, 65535, 0),
  /** pino log level. */
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise (log shippers); `json` or `pretty` force one. */
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).default('auto'),
  /** Folder for the SQLite databases (live, and demo mode's own) and other local state; created 0700. */
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * PostgreSQL instead of SQLite in DATA_DIR: postgres://user:password@host:5432/database. Needed to run
   * more than one instance; each must get the same value (and the same SESSION_SECRET). TLS: DATABASE_SSL.
   */
  DATABASE_URL: z
    .url({ error: 'must be a URL such as postgres://csd_relay:password@db.internal:5432/csd_relay' })
    .refine((v) => /^postgres(ql)?:$/.test(new URL(v).protocol), { error: 'must start with postgres:// (only PostgreSQL is supported)' })
    .refine((v) => !/[?&](sslmode|ssl|sslrootcert|sslcert|sslkey)=/i.test(v), { error: 'leave TLS out of the URL (sslmode=…); set DATABASE_SSL and DATABASE_SSL_ROOT_CERT instead' })
    .optional(),
  /** Connections each instance keeps to PostgreSQL at most (instances × this must stay under the server's max_connections). */
  DATABASE_POOL_MAX: intInRange(1, 200, 10),
  /** PostgreSQL statement_timeout per connection, in milliseconds: a stuck query fails instead of holding a connection. */
  DATABASE_STATEMENT_TIMEOUT_MS: intInRange(100, 600_000, 15_000),
  /**
   * TLS to PostgreSQL: verify-full (encrypted, server certificate checked against DATABASE_SSL_ROOT_CERT or the
   * system CAs, host name checked), require (encrypted, certificate not checked) or disable. Default: disable for a
   * loopback host, verify-full otherwise.
   */
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full'], { error: 'must be disable, require or verify-full' }).optional(),
  /** PEM file with the CA that signed the PostgreSQL server's certificate (verify-full); the system CAs when unset. */
  DATABASE_SSL_ROOT_CERT: z.string().min(1).optional(),
  /** Secret that signs session cookies (at least 32 characters). Required in production. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 48)').optional(),
  /** Minutes of inactivity after which a session ends. */
  SESSION_IDLE_MINUTES: intInRange(1, 24 * 60, 30),
  /** Hours after login after which a session ends, active or not. */
  SESSION_ABSOLUTE_HOURS: intInRange(1, 24 * 30, 12),
  /** Express `trust proxy`: number of reverse-proxy hops in front of the app (0 = none). Above 0 a well-formed incoming X-Request-Id is kept. */
  TRUST_PROXY_HOPS: intInRange(0, 10, 0),
  /** Failed logins allowed per e-mail address from one client address within the window; that address is then refused for that e-mail until the window ends. */
  LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: intInRange(1, 1000, 5),
  /**
   * Failed logins per e-mail address per hour from all client addresses not known for it (known: signed in as it in
   * the last 30 days) before each further attempt must wait a doubling delay. No longer a lockout (it was one, default 5).
   */
  LOGIN_MAX_FAILURES_PER_EMAIL: intInRange(1, 1000, 20),
  /** First of the doubling per-e-mail delays, in seconds. */
  LOGIN_EMAIL_DELAY_BASE_SECONDS: intInRange(1, 3600, 1),
  /** Longest per-e-mail delay, in seconds. */
  LOGIN_EMAIL_DELAY_MAX_SECONDS: intInRange(1, 24 * 3600, 900),
  /** Login attempts allowed per IP address within the window. */
  LOGIN_MAX_ATTEMPTS_PER_IP: intInRange(1, 100_000, 30),
  /** Length of the login rate-limit window, in minutes. */
  LOGIN_WINDOW_MINUTES: intInRange(1, 24 * 60, 15),
  /** Uploads an account admin may send to Facturapi per hour (refused here before sending do not count: see UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR). */
  UPLOADS_PER_USER_PER_HOUR: intInRange(1, 100_000, 30),
  /** Uploads a support person may send to Facturapi per hour: support uploads for many customers. */
  UPLOADS_PER_SUPPORT_USER_PER_HOUR: intInRange(1, 100_000, 300),
  /** Uploads refused here (wrong password, files that do not match…) per person per hour before further uploads wait: bounds password guessing apart from the sends. */
  UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: intInRange(1, 100_000, 20),
  /** Time allowed to receive a whole upload body, in milliseconds; a slower client gets a 408. */
  UPLOAD_BODY_TIMEOUT_MS: intInRange(100, 300_000, 20_000),
  /** Time allowed to receive a request's headers, and the whole body of a small form (login, people, removal…), in milliseconds; a slower client gets a 408 and is disconnected. */
  FORM_BODY_TIMEOUT_MS: intInRange(100, 300_000, 10_000),
  /** Days audit events are kept; older ones are pruned at start-up and daily. */
  AUDIT_RETENTION_DAYS: intInRange(1, 3650, 730),
  /** Seconds the expiry radar reuses what it fetched from Facturapi. */
  RADAR_CACHE_SECONDS: intInRange(0, 86_400, 300),
  /** In emulator mode, create demo accounts (a support user and an account admin) at start-up. */
  DEMO_ACCOUNTS: boolean(true),
  /** Serve the loopback-only GET /metrics (event-loop delay, memory, CPU) used by the benchmark. */
  METRICS_ENDPOINT: boolean(false),
  /** SMTP server for outgoing e-mail (smtp://user:pass@host:587 or smtps://…:465). Without it e-mail lands in the outbox (support's page /outbox). Holds a password: never logged. */
  SMTP_URL: z.url({ error: 'must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com:465' })
    .refine((v) => /^smtps?:\/\//i.test(v), { error: 'must start with smtp:// or smtps://' }).optional(),
  /** Sender of every e-mail, e.g. "csd-relay <no-reply@example.com>". Required with SMTP_URL. */
  MAIL_FROM: z.string().min(3).max(300).optional(),
  /** Days before a credential expires on which its organization's account admins are e-mailed; 0 = the day it expired. */
  REMINDER_DAYS: z.string().default('60,30,15,7,1,0').transform((v, ctx) => {
    const days = v.split(',').map((d) => d.trim()).filter(Boolean).map(Number);
    if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 0 || d > 365)) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of whole days between 0 and 365, such as 60,30,15,7,1,0' });
      return z.NEVER;
    }
    return [...new Set(days)].sort((a, b) => b - a);
  }),
  /** When the daily reminder job runs (cron pattern, Mexico City time). */
  REMINDER_CRON: z.string().max(100).default('0 8 * * *').refine((v) => {
    try {
      new Cron(v, { paused: true, timezone: 'America/Mexico_City' }).stop();
      return true;
    } catch {
      return false;
    }
  }, { error: 'must be a cron pattern such as "0 8 * * *" (minute hour day month weekday)' }),
});

export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly dataDir: string;
  /** PostgreSQL when DATABASE_URL is set; SQLite in dataDir otherwise. */
  readonly database: DatabaseConfig;
  readonly trustProxyHops: number;
  readonly facturapi: {
    /** `emulator`: no user key given, the app starts its own local Facturapi. */
    readonly mode: 'live' | 'emulator';
    readonly baseUrl: string;
    readonly userKey: string | undefined;
    readonly timeoutMs: number;
    readonly emulatorPort: number;
  };
  readonly session: { readonly secret: string | undefined; readonly idleMinutes: number; readonly absoluteHours: number };
  readonly limits: {
    readonly loginMaxFailuresPerEmailAndClient: number;
    readonly loginMaxFailuresPerEmail: number;
    readonly loginEmailDelayBaseSeconds: number;
    readonly loginEmailDelayMaxSeconds: number;
    readonly loginMaxAttemptsPerIp: number;
    readonly loginWindowMinutes: number;
    readonly uploadsPerUserPerHour: number;
    readonly uploadsPerSupportUserPerHour: number;
    readonly uploadLocalRefusalsPerUserPerHour: number;
  };
  /** Time allowed to receive a whole upload body (ms). */
  readonly uploadBodyTimeoutMs: number;
  /** Time allowed to receive a request's headers, or a small form's whole body (ms). */
  readonly formBodyTimeoutMs: number;
  readonly auditRetentionDays: number;
  readonly radarCacheSeconds: number;
  readonly demoAccounts: boolean;
  readonly metricsEndpoint: boolean;
  readonly mail: {
    /** Absent: e-mail is kept in the outbox table only. Contains a password: never log it. */
    readonly smtpUrl: string | undefined;
    readonly from: string;
  };
  readonly reminders: {
    /** Days before expiry that trigger a reminder, largest first; 0 = on the day it expired. */
    readonly thresholdDays: readonly number[];
    readonly cron: string;
  };
}

export type DatabaseConfig =
  | { readonly kind: 'sqlite' }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolMax: number;
      readonly statementTimeoutMs: number;
      readonly ssl: 'disable' | 'require' | 'verify-full';
      readonly sslRootCertPath: string | undefined;
    };

/** Thrown when the environment is invalid; `problems` holds one line per bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every key.`);
    this.name = 'ConfigError';
  }
}

/** Rules that span keys; each returns a problem line or nothing. */
function crossChecks(env: z.infer<typeof envSchema>): string[] {
  const problems: string[] = [];
  // https PUBLIC_URL makes the cookies Secure (web/cookies.ts). The app itself speaks plain HTTP,
  // so it sits behind a TLS proxy, and only a trusted X-Forwarded-Proto makes the request secure:
  // without it the session cookie would never be set and nobody could sign in.
  if (env.PUBLIC_URL?.startsWith('https:') && env.TRUST_PROXY_HOPS === 0) {
    problems.push('TRUST_PROXY_HOPS: PUBLIC_URL is https, so the app runs behind a TLS proxy; set TRUST_PROXY_HOPS to the number of proxies in front (usually 1) so its X-Forwarded-Proto is trusted');
  }
  if (env.SMTP_URL && !env.MAIL_FROM) problems.push('MAIL_FROM: required with SMTP_URL (the sender, e.g. "csd-relay <no-reply@example.com>")');
  // A generated secret lives in one instance's data folder: the others could not read its cookies.
  if (env.DATABASE_URL && !env.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required with DATABASE_URL (every instance must sign cookies with the same secret: openssl rand -base64 48)');
  }
  if (env.DATABASE_SSL_ROOT_CERT && env.DATABASE_URL && databaseSsl(env.DATABASE_SSL, env.DATABASE_URL) !== 'verify-full') {
    problems.push('DATABASE_SSL_ROOT_CERT: only used with DATABASE_SSL=verify-full');
  }
  if (env.NODE_ENV !== 'production') return problems;
  const base = new URL(env.FACTURAPI_BASE_URL);
  if (base.protocol !== 'https:' && !isLoopbackHostname(base.hostname)) {
    problems.push('FACTURAPI_BASE_URL: must use https in production (plain http is allowed only for a loopback emulator)');
  }
  if (!env.FACTURAPI_USER_KEY) {
    problems.push('FACTURAPI_USER_KEY: required in production (a Facturapi user key, sk_user_…); leave NODE_ENV unset to use the local emulator');
  } else if (!/^sk_user_[A-Za-z0-9_-]{8,}$/.test(env.FACTURAPI_USER_KEY)) {
    problems.push('FACTURAPI_USER_KEY: must be a Facturapi user key (sk_user_…); live and test keys cannot manage organizations');
  }
  if (!env.SESSION_SECRET) problems.push('SESSION_SECRET: required in production (at least 32 random characters: openssl rand -base64 48)');
  return problems;
}

/**
 * Reads and validates the configuration. `env` defaults to `process.env` after loading `.env`;
 * tests pass a plain object and get no `.env` side effects.
 */
export function loadConfig(env?: Record<string, string | undefined>): AppConfig {
  if (!env) {
    dotenv.config({ quiet: true });
    env = process.env;
  }
  // An empty value in .env ("FACTURAPI_USER_KEY=") means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems = crossChecks(e);
  if (problems.length > 0) throw new ConfigError(problems);

  const mode = e.FACTURAPI_USER_KEY ? 'live' : 'emulator';
  const displayHost = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST;
  return Object.freeze({
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    dataDir: path.resolve(e.DATA_DIR),
    database: databaseConfig(e),
    trustProxyHops: e.TRUST_PROXY_HOPS,
    facturapi: Object.freeze({
      mode,
      baseUrl: e.FACTURAPI_BASE_URL.replace(/\/+$/, ''),
      userKey: e.FACTURAPI_USER_KEY,
      timeoutMs: e.FACTURAPI_TIMEOUT_MS,
      emulatorPort: e.EMULATOR_PORT,
    }),
    session: Object.freeze({ secret: e.SESSION_SECRET, idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS }),
    limits: Object.freeze({
      loginMaxFailuresPerEmailAndClient: e.LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT,
      loginMaxFailuresPerEmail: e.LOGIN_MAX_FAILURES_PER_EMAIL,
      loginEmailDelayBaseSeconds: e.LOGIN_EMAIL_DELAY_BASE_SECONDS,
      loginEmailDelayMaxSeconds: e.LOGIN_EMAIL_DELAY_MAX_SECONDS,
      loginMaxAttemptsPerIp: e.LOGIN_MAX_ATTEMPTS_PER_IP,
      loginWindowMinutes: e.LOGIN_WINDOW_MINUTES,
      uploadsPerUserPerHour: e.UPLOADS_PER_USER_PER_HOUR,
      uploadsPerSupportUserPerHour: e.UPLOADS_PER_SUPPORT_USER_PER_HOUR,
      uploadLocalRefusalsPerUserPerHour: e.UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR,
    }),
    uploadBodyTimeoutMs: e.UPLOAD_BODY_TIMEOUT_MS,
    formBodyTimeoutMs: e.FORM_BODY_TIMEOUT_MS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    radarCacheSeconds: e.RADAR_CACHE_SECONDS,
    demoAccounts: e.DEMO_ACCOUNTS,
    metricsEndpoint: e.METRICS_ENDPOINT,
    mail: Object.freeze({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? 'csd-relay <no-reply@csd-relay.invalid>' }),
    reminders: Object.freeze({ thresholdDays: Object.freeze(e.REMINDER_DAYS), cron: e.REMINDER_CRON }),
  });
}

function databaseConfig(e: z.infer<typeof envSchema>): DatabaseConfig {
  if (!e.DATABASE_URL) return Object.freeze({ kind: 'sqlite' });
  return Object.freeze({
    kind: 'postgres',
    url: e.DATABASE_URL,
    poolMax: e.DATABASE_POOL_MAX,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    ssl: databaseSsl(e.DATABASE_SSL, e.DATABASE_URL),
    sslRootCertPath: e.DATABASE_SSL_ROOT_CERT ? path.resolve(e.DATABASE_SSL_ROOT_CERT) : undefined,
  });
}

/** Encrypted and checked unless the server is on this machine: the connection carries sessions and the audit trail. */
function databaseSsl(chosen: 'disable' | 'require' | 'verify-full' | undefined, url: string): 'disable' | 'require' | 'verify-full' {
  return chosen ?? (isLoopbackHostname(new URL(url).hostname) ? 'disable' : 'verify-full');
}
