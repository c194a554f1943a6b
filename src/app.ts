/**
 * Builds the Express app from its dependencies. Never listens: server.ts does, and tests mount
 * the app on port 0. Data flows one way: route -> schema -> use case -> view.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';
import type { AppConfig } from './config.js';
import type { FacturapiClient } from './facturapi/client.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { language } from './http/language.js';
import { requestLogger } from './http/request-logger.js';
import { securityHeaders } from './http/security-headers.js';
import type { Logger } from './logger.js';
import { organizationsRouter } from './organizations/organizations.routes.js';
import { uploadRouter } from './uploads/upload.routes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  facturapi: FacturapiClient;
  /** The clock; tests pass a fixed one. */
  now: () => Date;
  /** The authentication slot every route but login, static files and health checks goes through. */
  authenticate?: RequestHandler;
}

const passThrough: RequestHandler = (_req, _res, next) => next();

export function createApp(deps: AppDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  if (config.isProduction) app.enable('view cache');

  app.use(requestLogger(logger));
  app.use(securityHeaders({ https: config.publicUrl.startsWith('https:') }));
  app.use('/public', express.static(path.join(ROOT, 'public'), { maxAge: config.isProduction ? '1h' : 0, index: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use(language({ secureCookies: config.isProduction }));
  app.use((_req, res, next) => {
    res.locals.emulatorMode = config.facturapi.mode === 'emulator';
    next();
  });

  app.use(deps.authenticate ?? passThrough);
  app.get('/', (_req, res) => res.redirect(303, '/organizations'));
  app.use(organizationsRouter({ facturapi: deps.facturapi, now: deps.now }));
  app.use(uploadRouter({ facturapi: deps.facturapi, now: deps.now, liveFacturapi: config.facturapi.mode === 'live' }));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
