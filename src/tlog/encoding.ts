/**
 * Strict readers for the text encodings the C2SP formats use: canonical standard base64
 * (RFC 4648 §4, padded), ASCII decimals without leading zeroes, and UTF-8 that must be valid.
 * Node's own base64 decoder skips characters it does not know; these readers refuse them.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes of canonical padded base64 text, or null for anything else (also non-zero spare bits). */
export function decodeBase64(text: string): Uint8Array | null {
  if (!BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  // A last character with spare bits set decodes too; only the canonical spelling is accepted.
  if (bytes.toString('base64') !== text) return null;
  return bytes;
}

/** Standard padded base64 of the bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A non-negative decimal with no leading zeroes ("0" alone is zero), up to 2^53 − 1; else null. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/** The text of valid UTF-8 bytes (a leading byte-order mark kept), or null. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** Whether two byte strings are equal (public data: no constant-time need). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Concatenation of byte strings. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** The big-endian uint32 at the start of the bytes (at least four). */
export function readUint32(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
}
