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
