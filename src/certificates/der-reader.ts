/**
 * The few bytes of DER reading the inspector needs to tell key formats apart *before* handing
 * them to OpenSSL (Node silently accepts any passphrase on an unencrypted key, csd.md §8.2).
 * It never throws: malformed input gives `null`.
 */

/** One tag-length-value element: `start`/`end` delimit its content within the buffer. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  offset: number;
  start: number;
  end: number;
}

/** DER tags used below. */
export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** Reads the element at `offset`, or null if it is malformed or runs past `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv | null {
  if (offset + 2 > limit) return null;
  const tag = bytes[offset] as number;
  // Multi-byte tags never occur in the structures we sniff; rejecting them keeps this tiny.
  if ((tag & 0x1f) === 0x1f) return null;
  const first = bytes[offset + 1] as number;
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length (not DER); more than 4 length bytes is absurd here.
    if (count === 0 || count > 4 || start + count > limit) return null;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[start + i] as number);
    start += count;
  }
  const end = start + length;
  if (end > limit) return null;
  return { tag, offset, start, end };
}

/** Splits a constructed element's content into its children; null unless they fill it exactly. */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] | null {
  const children: Tlv[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readTlv(bytes, offset, parent.end);
    if (!child) return null;
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The tags of a list of elements, for shape checks such as `[SEQUENCE, OCTET_STRING]`. */
export function tagsOf(elements: readonly Tlv[]): number[] {
  return elements.map((element) => element.tag);
}

/** Longer OIDs occur in no algorithm we accept; refusing them keeps the decoder bounded. */
const MAX_OID_BYTES = 32;

/** An OBJECT IDENTIFIER element in dotted form, or null if it is not one or is malformed. */
export function readOid(bytes: Uint8Array, element: Tlv): string | null {
  const length = element.end - element.start;
  if (element.tag !== TAG.OID || length === 0 || length > MAX_OID_BYTES) return null;
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i += 1) {
    const byte = bytes[i] as number;
    // A leading 0x80 is a non-minimal encoding, which DER forbids.
    if (value === 0 && byte === 0x80) return null;
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    arcs.push(value);
    value = 0;
  }
  if ((bytes[element.end - 1] as number) & 0x80) return null;
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join('.');
}

/**
 * A non-negative INTEGER's value when it is at most `max`; 'negative', 'too_large' (decided
 * from its length, without reading a number that may be thousands of bytes long), or null if
 * the element is not an INTEGER.
 */
export function readBoundedInteger(bytes: Uint8Array, element: Tlv, max: number): number | 'negative' | 'too_large' | null {
  if (element.tag !== TAG.INTEGER || element.end === element.start) return null;
  if ((bytes[element.start] as number) & 0x80) return 'negative';
  let start = element.start;
  while (start < element.end - 1 && bytes[start] === 0) start += 1;
  // Six bytes stay exact in a double (2^48) and exceed every bound we check.
  if (element.end - start > 6) return 'too_large';
  let value = 0;
  for (let i = start; i < element.end; i += 1) value = value * 256 + (bytes[i] as number);
  return value <= max ? value : 'too_large';
}
