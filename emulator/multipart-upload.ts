import busboy from 'busboy';
import type { Request } from 'express';

/** One received file part. */
export interface FilePart {
  data: Buffer;
  filename: string;
  mimeType: string;
}

/** The parts of a certificate upload; any may be missing. */
export interface CertificateParts {
  cer?: FilePart;
  key?: FilePart;
  password?: string;
}

/** Outcome of reading a certificate upload. */
export type UploadParseResult =
  | { ok: true; parts: CertificateParts }
  | { ok: false; code: 'invalid_multipart_form_data' | 'multipart_limit_exceeded' | 'payload_too_large' };

/** Real SAT files are 1–2 KB; 64 KiB leaves room without inviting abuse. */
export const MAX_FILE_BYTES = 64 * 1024;
/** Anything bigger is refused from its Content-Length, before reading it. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Reads `cer`, `key` and `password` from a multipart body with hard limits. */
export function readCertificateUpload(req: Request): Promise<UploadParseResult> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.resolve({ ok: false, code: 'payload_too_large' });
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Three parts are expected. busboy's filesLimit/fieldsLimit fire only when exceeded, while
      // partsLimit fires on reaching the limit, so parts is a backstop one above and not an error.
      limits: { fileSize: MAX_FILE_BYTES, files: 2, fields: 1, parts: 4, fieldSize: 1024, fieldNameSize: 100 },
    });
  } catch {
    // Not multipart at all, or no boundary.
    return Promise.resolve({ ok: false, code: 'invalid_multipart_form_data' });
  }
  return new Promise((resolve) => {
    const parts: CertificateParts = {};
    let tooLarge = false;
    let overLimit = false;
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (tooLarge = true));
      stream.on('end', () => {
        if ((name === 'cer' || name === 'key') && parts[name] === undefined) {
          parts[name] = { data: Buffer.concat(chunks), filename: info.filename ?? '', mimeType: info.mimeType };
        }
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) overLimit = true;
      else if (name === 'password' && parts.password === undefined) parts.password = value;
    });
    for (const event of ['filesLimit', 'fieldsLimit'] as const) parser.on(event, () => (overLimit = true));
    parser.on('error', () => resolve({ ok: false, code: 'invalid_multipart_form_data' }));
    parser.on('close', () => {
      if (tooLarge) resolve({ ok: false, code: 'payload_too_large' });
      else if (overLimit) resolve({ ok: false, code: 'multipart_limit_exceeded' });
      else resolve({ ok: true, parts });
    });
    req.on('aborted', () => resolve({ ok: false, code: 'invalid_multipart_form_data' }));
    req.pipe(parser);
  });
}
