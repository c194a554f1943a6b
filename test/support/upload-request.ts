import request from 'supertest';

export interface UploadParts {
  cer?: Buffer;
  key?: Buffer;
  password?: string;
  cerName?: string;
  keyName?: string;
}

/** Posts the upload form the way a browser does (multipart/form-data, files then password). */
export function postUpload(baseUrl: string, organizationId: string, parts: UploadParts, headers: Record<string, string> = {}) {
  let req = request(baseUrl).post(`/organizations/${organizationId}/certificate`).set(headers);
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
