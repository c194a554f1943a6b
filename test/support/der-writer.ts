/**
 * A minimal DER writer: just the types SAT certificates and keys use. Test support only; the
 * app never builds certificates.
 */

/** Tag-length-value with DER's definite, minimal length encoding. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
export const octetString = (bytes: Uint8Array): Buffer => tlv(0x04, bytes);
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
export const booleanTrue = (): Buffer => Buffer.from([0x01, 0x01, 0xff]);
/** Context-specific constructed tag `[n]` (EXPLICIT tagging). */
export const explicit = (n: number, content: Uint8Array): Buffer => tlv(0xa0 | n, content);

/** BIT STRING from its bits, most significant first (`bits[0]` is bit 0, e.g. digitalSignature). */
export function namedBits(bits: readonly number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  // DER drops trailing zero bits of a named-bit list; the first byte says how many were unused.
  const unused = 7 - (highest & 7);
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** BIT STRING wrapping whole bytes (signatures, public keys). */
export const bitString = (bytes: Uint8Array): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));

/** INTEGER from a non-negative number. */
export function integer(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return integerFromBytes(Buffer.from(bytes));
}

/** INTEGER from a non-negative bigint: counts beyond 2^53 (hostile keys write 2^64 and more). */
export function bigInteger(value: bigint): Buffer {
  const hex = value.toString(16);
  return integerFromBytes(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

/** INTEGER from big-endian magnitude bytes, adding the 0x00 sign byte DER needs when the top bit is set. */
export function integerFromBytes(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  const trimmed = magnitude.length === 0 ? Buffer.from([0]) : Buffer.from(magnitude.subarray(start));
  const needsSign = ((trimmed[0] as number) & 0x80) !== 0;
  return tlv(0x02, needsSign ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [a * 40 + b];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

// PrintableString's alphabet (X.680); anything outside it needs another string type.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * A directory string the way SAT writes it (csd.md §2.1): PrintableString when every character
 * allows it, else T61String carrying Latin-1 bytes (Ñ, &, _), else UTF8String.
 */
export function directoryString(value: string): Buffer {
  if (PRINTABLE.test(value)) return tlv(0x13, Buffer.from(value, 'latin1'));
  if (/^[\u0000-\u00ff]*$/.test(value)) return tlv(0x14, Buffer.from(value, 'latin1'));
  return tlv(0x0c, Buffer.from(value, 'utf8'));
}

export const ia5String = (value: string): Buffer => tlv(0x16, Buffer.from(value, 'ascii'));

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). Whole seconds only. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2024-01-01T00:00:00.000Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}
