/**
 * The 404 fall-through and the single error middleware. Everything is logged with request
 * context; users see only messages of errors marked `expose`, in their language, and for
 * anything else a generic page with the request id that matches the log line. Never a stack.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AccountsError } from '../accounts/accounts-errors.js';
import { formatters, translator } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { AppError, NotFoundError, TooManyRequestsError } from './errors.js';
import { toHttpError } from './facturapi-errors.js';

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/** Errors thrown by body parsers and similar carry a status; keep the 4xx ones, hide the rest. */
function statusOf(err: unknown): number {
  if (err instanceof AppError) return err.status;
  if (err instanceof AccountsError) return err.code === 'user_not_found' ? 404 : 400;
  // A form that fails its schema (a field too long, sent twice…) is the client's mistake, not ours.
  if (err instanceof ZodError) return 400;
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown, req, res, next) => {
    // Facturapi errors mapped once here: routes let the client's errors through untranslated.
    const err = toHttpError(thrown);
    const status = statusOf(err);
    const requestId = String(req.id ?? res.getHeader('X-Request-Id') ?? '');
    const log = (req.log as Logger | undefined) ?? logger;
    if (status >= 500) log.error({ err: { type: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack }, requestId }, 'request failed');
    else log.debug({ status, code: (err as AppError)?.messageKey }, 'request rejected');
    if (res.headersSent) return next(err);

    const lang = res.locals.lang ?? 'es';
    const t = res.locals.t ?? translator(lang);
    const messageKey = err instanceof AppError && err.expose ? err.messageKey : err instanceof AccountsError ? (`accounts.${err.code}` as const) : status === 404 ? 'error.notFound' : status === 413 ? 'error.requestTooLarge' : status < 500 ? 'error.badRequest' : 'error.internal';
    const params = err instanceof AppError ? err.params : {};
    if (err instanceof TooManyRequestsError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    if (status === 413) res.setHeader('Connection', 'close');
    res.status(status);
    res.locals.fmt ??= formatters(lang);
    res.format({
      html: () =>
        // A failing template must not fall through to Express's default page (it shows stacks in development).
        res.render('error', { t, lang, status, message: t(messageKey, params), requestId }, (renderErr, html) => {
          if (renderErr) log.error({ err: { message: renderErr.message } }, 'error page failed to render');
          if (renderErr) res.type('text/plain').send(`${t(messageKey, params)}\n${t('error.reference', { id: requestId })}\n`);
          else res.send(html);
        }),
      json: () => res.json({ error: { status, message: t(messageKey, params), requestId } }),
      default: () => res.type('text/plain').send(`${t(messageKey, params)}\n${t('error.reference', { id: requestId })}\n`),
    });
  };
}
