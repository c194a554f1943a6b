/**
 * Size limits of the upload form. The per-file limit is the inspector's own (certificates/): real
 * SAT files are 1–2 KB each, so its 64 KiB is generous, and multer refuses a bigger file before
 * the inspector would. The body guard sits above two files plus fields and multipart framing.
 */
import { MAX_FILE_BYTES } from '../certificates/index.js';

export { MAX_FILE_BYTES };
/** Bodies declaring more than this are refused before a byte of them is parsed. */
export const MAX_BODY_BYTES = 200 * 1024;
/**
 * Time allowed to receive a whole upload body (config `UPLOAD_BODY_TIMEOUT_MS`). Two files of a
 * few KB take well under a second even on a poor mobile link; a client still sending after this
 * is broken or hostile and only holds a socket.
 */
export const DEFAULT_BODY_READ_TIMEOUT_MS = 20_000;
/** Longest password accepted (characters). SAT passwords are short; this only stops abuse. */
export const MAX_PASSWORD_LENGTH = 256;
/** multer limits: exactly the fields the form has (`password`, `_csrf`, `confirmEarlierExpiry`) and the two files. */
export const MULTER_LIMITS = {
  fileSize: MAX_FILE_BYTES,
  files: 2,
  fields: 3,
  parts: 5,
  fieldSize: 1024,
  fieldNameSize: 50,
  headerPairs: 20,
} as const;
