/**
 * Builds the Express app from its dependencies. Never listens: server.ts does, and tests mount
 * the app on port 0. Data flows one way: route -> schema -> use case -> view.
 *
 * Order: logging, security headers, static files and health checks (public), language, session,
 * the first-run gate, login and one-time links (public), then the authentication slot; every
 * route after it needs a signed-in user, and each names its rule through `guard`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import * as policies from './accounts/policies.js';
import type { DbSessionStore } from './accounts/session-store.js';
import { loginRouter, logoutRouter } from './accounts/web/login.routes.js';
import { peopleRouter } from './accounts/web/people.routes.js';
import { listAccountAdminsOf } from './accounts/organization-admins.js';
import { userNamesOf } from './accounts/user-names.js';
import { uploadLimiters } from './accounts/web/rate-limits.js';
import { setPasswordRouter } from './accounts/web/set-password.routes.js';
import { linkOpenLimiter } from './accounts/web/link-limits.js';
import type { StoreFactory } from './accounts/web/clocked-memory-store.js';
import { createRefusalAudit, type RefusalAudit } from './audit/refusal-audit.js';
import { cookiePolicy } from './web/cookies.js';
import type { AuditTrail } from './audit/audit.service.js';
import type { AppConfig } from './config.js';
import type { Executor } from './db/database.js';
import type { InspectFn } from './certificates/inspection-pool.js';
import type { FacturapiClient } from './facturapi/client.js';
import { authenticate } from './accounts/web/authenticate.js';
import { createCsrf, csrfErrorTranslator, csrfProtection } from './web/csrf.js';
import { actionContext } from './accounts/web/request-context.js';
import { errorHandler, notFound } from './web/error-handler.js';
import { facturapiHttpError } from './web/facturapi-errors.js';
import { accountsHttpError } from './accounts/web/accounts-http-errors.js';
import { firstRunGate } from './accounts/web/first-run-gate.js';
import { FORM_BODY_TIMEOUT_SETTING } from './web/form-body.js';
import { guard, type Rule } from './accounts/web/guard.js';
import { healthRouter } from './ops/health.js';
import { metricsRouter, type EventLoopMonitor } from './ops/metrics.js';
import { language } from './web/language.js';
import { requestLogger } from './web/request-logger.js';
import { noStore, securityHeaders } from './web/security-headers.js';
import { sessionMiddleware } from './web/session.js';
import type { Logger } from './logger.js';
import { auditRouter } from './audit/audit.routes.js';
import { certificateRemovalRouter } from './certificate-removal/certificate-removal.routes.js';
import { organizationsRouter } from './organizations/organizations.routes.js';
import { createOrganizationDirectory } from './organizations/organization-directory.js';
import { organizationOptionsRouter } from './organizations/organization-options.routes.js';
import { radarRouter } from './radar/radar.routes.js';
import { createRadar } from './radar/radar.service.js';
import { fielUploadRouter, sentToFacturapi, uploadRouter } from './uploads/upload.routes.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { outboxRouter } from './mail/web/outbox.routes.js';
import { settingsRouter } from './accounts/web/settings.routes.js';
import { unsubscribeRouter } from './reminders/web/unsubscribe.routes.js';
import { contactUnsubscribeRouter } from './reminders/web/contact-unsubscribe.routes.js';
import { unsubscribeTokens } from './reminders/unsubscribe-token.js';
import { publicUploadRequestRouter, uploadRequestAdminRouter, uploadRequestLimitKey } from './uploads/upload-request.routes.js';
import { listUploadRequests } from './uploads/upload-requests.service.js';
import { reminderContactRouter } from './reminders/web/reminder-contact.routes.js';
import { reminderSetup } from './reminders/reminder-recipients.js';

// views/ and public/ sit at the repository root: one level above src/app.ts under tsx, two above
// dist/src/app.js once built (tsconfig.build.json compiles src/ and emulator/ side by side).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), import.meta.url.endsWith('.ts') ? '..' : '../..');

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  facturapi: FacturapiClient;
  db: Executor;
  sessionStore: DbSessionStore;
  sessionSecret: string;
  audit: AuditTrail;
  /** The clock; tests pass a controllable one. */
  now: () => Date;
  /** The certificate check (runtime: a worker pool); the inline inspector when absent. */
  inspect?: InspectFn;
  /** Event-loop delay for `GET /metrics` (loopback only); the route is absent without it. */
  metrics?: EventLoopMonitor;
  /** Readiness probe extras (migrations, Facturapi reachability). */
  readiness?: () => Promise<Record<string, unknown> & { ready: boolean }>;
  /** Where rate limits and the login throttle count: the database when instances share it (runtime, on PostgreSQL); this process's memory when absent. */
  limitStores?: StoreFactory;
  /** Aggregated audit of refusals (runtime passes one to flush at shutdown); made here when absent. */
  refusals?: RefusalAudit;
  /** Outgoing e-mail (runtime: SMTP or the outbox); an outbox-only mailer when absent. */
  mailer?: Mailer;
}

function homeRouter(): Router {
  const router = express.Router();
  // Account admins with one organization land on it; everyone else on the organization list.
  router.get('/', (req, res) => {
    const user = req.user!;
    const only = user.role === 'account_admin' && user.organizationIds.length === 1 ? user.organizationIds[0] : null;
    res.redirect(303, only ? `/organizations/${only}` : '/organizations');
  });
  return router;
}

export function createApp(deps: AppDeps): express.Express {
  const { config, logger, audit, now } = deps;
  const app = express();
  const cookies = cookiePolicy(config);
  const refusals = deps.refusals ?? createRefusalAudit({ db: deps.db, now, windowMs: config.limits.loginWindowMinutes * 60_000, strict: !config.isProduction, onError: (e) => logger.error({ err: { message: (e as Error)?.message } }, 'refusal audit write failed') });
  // CSRF tokens are HMACs, stored nowhere: bound to the session once signed in, a signed
  // double-submit pair for the anonymous forms (login, set-password).
  const csrf = createCsrf({ secret: deps.sessionSecret, cookies });
  const mailer = deps.mailer ?? createMailer({ db: deps.db, transport: null, from: config.mail.from, now, logger });
  // Set once the radar and directory exist (below): an upload through a link drops their caches too.
  let uploadRequestCertificateChanged = () => {};
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.set(FORM_BODY_TIMEOUT_SETTING, config.formBodyTimeoutMs);
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  if (config.isProduction) app.enable('view cache');

  // Only a trusted proxy may name the request id (see request-logger.ts).
  app.use(requestLogger(logger, { trustIncomingId: config.trustProxyHops > 0 }));
  app.use(securityHeaders({ https: config.publicUrl.startsWith('https:') }));
  app.use('/public', express.static(path.join(ROOT, 'public'), { maxAge: config.isProduction ? '1h' : 0, index: false }));
  app.use(noStore);
  app.use(healthRouter(deps.readiness));
  if (deps.metrics) app.use(metricsRouter(deps.metrics));

  // Secure exactly when the public URL is https: browsers drop Secure cookies set over plain HTTP.
  app.use(language({ secureCookies: config.publicUrl.startsWith('https:') }));
  app.use((_req, res, next) => {
    res.locals.emulatorMode = config.facturapi.mode === 'emulator';
    next();
  });
  app.use(sessionMiddleware({ store: deps.sessionStore, secret: deps.sessionSecret, cookies }));
  app.use(firstRunGate(deps.db));
  app.get('/account/set-password/:token', linkOpenLimiter(config.limits, deps.limitStores));
  app.use(setPasswordRouter({ db: deps.db, audit, now, csrf: csrf.forms }));
  app.use(loginRouter({ db: deps.db, audit, now, limits: config.limits, csrf: csrf.forms, refusals, limitStores: deps.limitStores }));
  // A reminder's unsubscribe link works without login (signed, like a one-time link).
  app.get('/reminders/unsubscribe/:token', linkOpenLimiter(config.limits, deps.limitStores));
  app.use(unsubscribeRouter({ db: deps.db, audit, now, csrf: csrf.forms, tokens: unsubscribeTokens(deps.sessionSecret) }));
  // A reminder contact's own link (an address, no account): removes that organization's contact.
  app.get('/reminders/contact-unsubscribe/:token', linkOpenLimiter(config.limits, deps.limitStores));
  app.use(contactUnsubscribeRouter({ db: deps.db, audit, now, csrf: csrf.forms, tokens: unsubscribeTokens(deps.sessionSecret) }));
  // A customer's one-time upload link (issue 12, part 4): no account, that organization's CSD form only.
  app.use('/upload-requests/:token', linkOpenLimiter(config.limits, deps.limitStores));
  app.use(publicUploadRequestRouter({
    db: deps.db, facturapi: deps.facturapi, audit, now, csrf: csrf.forms, liveFacturapi: config.facturapi.mode === 'live',
    ...(deps.inspect ? { inspect: deps.inspect } : {}),
    limiters: uploadLimiters(config.limits, { now, wasSent: sentToFacturapi, keyOf: uploadRequestLimitKey, ...(deps.limitStores ? { storeFor: deps.limitStores } : {}) }),
    bodyReadTimeoutMs: config.uploadBodyTimeoutMs,
    onCertificateChanged: () => uploadRequestCertificateChanged(),
  }));

  // ---- everything below needs a signed-in user ----
  app.use(authenticate(deps.db));
  app.use(csrf.session);
  app.use(logoutRouter({ audit, now }));
  app.use(homeRouter());
  const can = (rule: Rule) => guard(rule, { audit, now });
  const radar = createRadar({
    facturapi: deps.facturapi, now, cacheSeconds: config.radarCacheSeconds, db: deps.db,
    onError: (e) => logger.warn({ err: { message: (e as Error)?.message } }, 'radar cache generation unavailable'),
  });
  // Names for pages that hold ids (audit, People, pickers): a short cache in front of Facturapi.
  const directory = createOrganizationDirectory({ facturapi: deps.facturapi, now });
  uploadRequestCertificateChanged = () => {
    radar.forget();
    directory.forget();
  };
  app.use(organizationOptionsRouter({ directory, guard: can(policies.canSearchOrganizations) }));
  app.use(organizationsRouter({ facturapi: deps.facturapi, audit, now, viewGuard: can(policies.canViewOrganization), accountAdminsOf: (id) => listAccountAdminsOf(deps.db, id), uploadRequestsOf: (id) => listUploadRequests(deps.db, id, now()), remindersOf: (id) => reminderSetup(deps.db, id) }));
  app.use(uploadRequestAdminRouter({ db: deps.db, audit, facturapi: deps.facturapi, mailer, now, publicUrl: config.publicUrl, guard: can(policies.canManagePeople) }));
  app.use(reminderContactRouter({ db: deps.db, audit, facturapi: deps.facturapi, now, guard: can(policies.canManagePeople) }));
  app.use(radarRouter({ radar, guard: can(policies.canViewRadar) }));
  app.use(certificateRemovalRouter({ facturapi: deps.facturapi, audit, radar, now, guard: can(policies.canDeleteCertificate) }));
  app.use(auditRouter({ audit, organizations: directory, peopleNames: (ids) => userNamesOf(deps.db, ids), readsWholeTrail: (reader) => policies.canViewAuditOf(reader, null) }));
  // The CSD and e.firma forms share one set of upload limits (the same people, the same budget).
  const uploadDeps = {
    facturapi: deps.facturapi,
    audit,
    now,
    liveFacturapi: config.facturapi.mode === 'live',
    ...(deps.inspect ? { inspect: deps.inspect } : {}),
    beforeParse: [can(policies.canUploadCertificate)],
    afterParse: [csrfProtection, ...uploadLimiters(config.limits, { now, wasSent: sentToFacturapi, ...(deps.limitStores ? { storeFor: deps.limitStores } : {}) })],
    bodyReadTimeoutMs: config.uploadBodyTimeoutMs,
    onCertificateChanged: () => {
      radar.forget();
      directory.forget();
    },
  };
  app.use(uploadRouter(uploadDeps));
  app.use(fielUploadRouter(uploadDeps));
  app.use('/people', can(policies.canManagePeople));
  app.use(peopleRouter({ db: deps.db, audit, now, publicUrl: config.publicUrl, mailer, organizations: directory }));
  app.use('/outbox', can(policies.canManagePeople));
  app.use(outboxRouter({ db: deps.db, transport: mailer.transport }));
  app.use(settingsRouter({ db: deps.db, audit, now }));

  app.use(notFound);
  app.use(csrfErrorTranslator({ refusals, context: (req) => actionContext(req, now) }));
  // Each family of domain errors becomes a page here, once.
  app.use(errorHandler(logger, [facturapiHttpError, accountsHttpError]));
  return app;
}
