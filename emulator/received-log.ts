import { createHash } from 'node:crypto';
import type { CertificateParts, FilePart } from './multipart-upload.js';

/** Fingerprint of one uploaded part: enough to prove bytes arrived intact, not the bytes. */
export interface PartDigest {
  sha256: string;
  size: number;
}

/** A file part as received, by fingerprint. */
export interface FileDigest extends PartDigest {
  filename: string;
  mimeType: string;
}

/** One request the emulator received. Never holds a key, a password or file contents. */
export interface ReceivedRequest {
  method: string;
  /** Path without query string, e.g. `/v2/organizations`. */
  path: string;
  query: Record<string, string>;
  /** sha256 of the credential after `Bearer `; null when no Authorization header came. */
  authorizationSha256: string | null;
  contentType: string | null;
  contentLength: number | null;
  /** Emulator clock (`now()`) at arrival. */
  receivedAt: Date;
  /** Set for certificate uploads whose multipart body could be read. */
  upload?: { cer?: FileDigest; key?: FileDigest; password?: PartDigest };
}

/** sha256 + size of some bytes. */
export function digest(data: Buffer | string): PartDigest {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

function fileDigest(part: FilePart): FileDigest {
  return { ...digest(part.data), filename: part.filename, mimeType: part.mimeType };
}

/** The `upload` entry for the parts that arrived. */
export function digestUpload(parts: CertificateParts): NonNullable<ReceivedRequest['upload']> {
  return {
    ...(parts.cer ? { cer: fileDigest(parts.cer) } : {}),
    ...(parts.key ? { key: fileDigest(parts.key) } : {}),
    ...(parts.password !== undefined ? { password: digest(parts.password) } : {}),
  };
}
