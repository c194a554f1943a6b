import type { SignedIn } from './app-harness.js';

export interface UploadParts {
  cer?: Buffer;
  key?: Buffer;
  password?: string;
  cerName?: string;
  keyName?: string;
  /** Defaults to the signed-in session's token; `null` sends none. */
  csrf?: string | null;
}

/** Posts the upload form the way a browser does (multipart/form-data: token, files, password). */
export function postUpload(session: SignedIn, organizationId: string, parts: UploadParts, headers: Record<string, string> = {}) {
  let req = session.agent.post(`/organizations/${organizationId}/certificate`).set(headers);
  const csrf = parts.csrf === undefined ? session.csrf : parts.csrf;
  if (csrf !== null) req = req.field('_csrf', csrf);
  if (parts.cer) req = req.attach('cer', parts.cer, { filename: parts.cerName ?? 'CSD_EMPRESA.cer', contentType: 'application/x-x509-ca-cert' });
  if (parts.key) req = req.attach('key', parts.key, { filename: parts.keyName ?? 'CSD_EMPRESA.key', contentType: 'application/octet-stream' });
  if (parts.password !== undefined) req = req.field('password', parts.password);
  return req;
}

/** The page's password input never carries a value back. */
export function passwordFieldIsEmpty(html: string): boolean {
  const input = /<input[^>]*name="password"[^>]*>/.exec(html)?.[0] ?? '';
  return input !== '' && !/\svalue=/.test(input);
}
