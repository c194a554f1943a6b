/**
 * Undoing the text wrappings users put around DER: PEM blocks (any line endings, a UTF-8 BOM,
 * text such as `Bag Attributes` before the block) and bare base64 (what CFDI XML carries).
 * Works on latin1 views of the bytes so binary input can never throw a decoding error.
 */

/** A decoded PEM block. `hasHeaders` is true for legacy `Proc-Type:`/`DEK-Info:` blocks. */
export interface PemBlock {
  label: string;
  hasHeaders: boolean;
  der: Buffer;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;
const BEGIN = /-----BEGIN ([A-Z0-9 ]{1,40})-----/;

/** The bytes without a leading UTF-8 BOM (a view, not a copy). */
export function withoutBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
}

/** Strictly decodes base64 text (whitespace allowed); null if anything else is in it. */
export function decodeBase64Text(text: string): Buffer | null {
  const compact = text.replace(/[\s]+/g, '');
  // Buffer.from(…, 'base64') skips invalid characters silently, so check the alphabet first.
  if (compact.length < 4 || compact.length % 4 === 1 || !BASE64_BODY.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

/**
 * Finds the first PEM block. Returns null when there is no BEGIN line, and `'malformed'` when
 * there is one but no matching END line or the body is not base64 (a truncated or edited file).
 */
export function readPemBlock(bytes: Buffer): PemBlock | 'malformed' | null {
  const text = withoutBom(bytes).toString('latin1');
  const begin = BEGIN.exec(text);
  if (!begin) return null;
  const label = begin[1] as string;
  const bodyStart = begin.index + begin[0].length;
  const endIndex = text.indexOf(`-----END ${label}-----`, bodyStart);
  if (endIndex < 0) return 'malformed';
  const lines = text.slice(bodyStart, endIndex).split(/\r?\n|\r/);
  // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) come first and end at a blank line.
  const hasHeaders = lines.some((line) => line.includes(':'));
  const bodyLines = hasHeaders ? lines.slice(lines.findIndex((l, i) => i > 0 && l.trim() === '') + 1) : lines;
  const der = decodeBase64Text(bodyLines.join(''));
  return der ? { label, hasHeaders, der } : 'malformed';
}
