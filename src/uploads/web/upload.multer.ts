/**
 * Multipart parsing for the upload: multer memory storage (the files are relayed, never stored),
 * every limit set, UTF-8 file names, and multer/busboy errors turned into form errors.
 * Also the Content-Length guard that answers 413 before multer reads an oversized body, and the
 * body guard for bodies without Content-Length and for clients that drip their body: multer
 * would otherwise drain the whole body before failing (docs/stack.md pitfall 2).
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import multer from 'multer';
import { BodyReadError, createBodyGuard } from '../../web/body-guard.js';
import { DEFAULT_BODY_READ_TIMEOUT_MS, MAX_BODY_BYTES, MAX_FILE_BYTES, MAX_PASSWORD_LENGTH, MULTER_LIMITS } from '../upload.limits.js';
import { UploadFormError } from './upload-form-error.js';

/** multer 2.5's `streamHandler` option, which @types/multer does not know yet. */
type MulterOptionsWithStream = multer.Options & { streamHandler?: (req: IncomingMessage, busboy: NodeJS.WritableStream) => void };

const maxKb = Math.round(MAX_FILE_BYTES / 1024);

/** Maps multer's codes (and busboy's plain errors) to what the person should do. */
export function toUploadFormError(error: unknown): UploadFormError {
  if (error instanceof multer.MulterError) {
    const field = error.field === 'cer' || error.field === 'key' ? error.field : 'form';
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new UploadFormError(413, [{ field, key: 'field.file.tooLarge', params: { max: maxKb } }]);
      case 'LIMIT_FILE_COUNT':
        return new UploadFormError(400, [{ field: 'form', key: 'field.tooManyFiles' }]);
      case 'LIMIT_UNEXPECTED_FILE':
        // A second file in `cer`/`key` also lands here (docs/stack.md pitfall 4).
        return field === 'form'
          ? new UploadFormError(400, [{ field: 'form', key: 'field.unexpected', params: { field: String(error.field ?? '').slice(0, 50) } }])
          : new UploadFormError(400, [{ field: 'form', key: 'field.tooManyFiles' }]);
      case 'LIMIT_FIELD_COUNT':
      case 'LIMIT_PART_COUNT':
        return new UploadFormError(400, [{ field: 'form', key: 'field.tooManyFields' }]);
      case 'LIMIT_FIELD_VALUE':
        return new UploadFormError(400, [{ field: 'password', key: 'field.password.tooLong', params: { max: MAX_PASSWORD_LENGTH } }]);
      default:
        return new UploadFormError(400, [{ field: 'form', key: 'field.malformed' }]);
    }
  }
  return new UploadFormError(400, [{ field: 'form', key: 'field.malformed' }]);
}

/**
 * The upload form parser: multer behind the body guard. `readTimeoutMs` is the time allowed to
 * receive the whole body (config `UPLOAD_BODY_TIMEOUT_MS`).
 */
export function createUploadFormParser(options: { readTimeoutMs: number }): RequestHandler {
  const guard = createBodyGuard({ maxBytes: MAX_BODY_BYTES, readTimeoutMs: options.readTimeoutMs });
  const multerOptions: MulterOptionsWithStream = {
    storage: multer.memoryStorage(),
    limits: MULTER_LIMITS,
    defParamCharset: 'utf8',
    streamHandler: guard.streamHandler,
  };
  const parser = multer(multerOptions).fields([
    { name: 'cer', maxCount: 1 },
    { name: 'key', maxCount: 1 },
  ]);
  return (req, res, next) => {
    guard.run(req, res, next, (done) => parser(req, res, (error?: unknown) => done(error ? toUploadFormError(error) : undefined)));
  };
}

/** The parser with the default read deadline. */
export const parseUploadForm: RequestHandler = createUploadFormParser({ readTimeoutMs: DEFAULT_BODY_READ_TIMEOUT_MS });

/**
 * Refuses declared-oversized bodies at once and closes the connection so the rest is not read.
 * The plain 413 page, not the form: without reading the body the CSRF token cannot be checked,
 * so nothing that acts in the signed-in person's name (audit, a Facturapi read) may follow.
 */
export const rejectOversizedBody: RequestHandler = (req, res, next) => {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    res.setHeader('Connection', 'close');
    next(new BodyReadError(413));
    return;
  }
  next();
};
