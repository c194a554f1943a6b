/**
 * The body parser of every small urlencoded form (login, logout, set-password, people, radar
 * refresh, certificate removal): a few short fields, so tight limits; the upload form is
 * multipart and has its own parser.
 *
 * The read is bounded in time by the same guard as the upload's (a silent or dripping client gets
 * a 408 and its socket is let go): body-parser alone waits for the last byte forever. The
 * deadline is an app setting (`createApp` sets it from FORM_BODY_TIMEOUT_MS) so the routes can
 * keep importing one ready-made middleware.
 */
import express, { type RequestHandler } from 'express';
import { createBodyGuard } from '../web/body-guard.js';

/** `app.set(FORM_BODY_TIMEOUT_SETTING, ms)`; without it the default below applies. */
export const FORM_BODY_TIMEOUT_SETTING = 'form body timeout ms';
const DEFAULT_TIMEOUT_MS = 10_000;

const urlencoded = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

export const formBody: RequestHandler = (req, res, next) => {
  const setting = req.app.get(FORM_BODY_TIMEOUT_SETTING) as unknown;
  const readTimeoutMs = typeof setting === 'number' && setting > 0 ? setting : DEFAULT_TIMEOUT_MS;
  // Size stays body-parser's job (8 kB, declared or counted); the guard keeps the time.
  createBodyGuard({ maxBytes: Number.POSITIVE_INFINITY, readTimeoutMs }).run(req, res, next, (done) => urlencoded(req, res, done));
};
