/**
 * Keys of signed notes, in the text forms of Go's golang.org/x/mod/sumdb/note: a verifier key
 * `<name>+<key ID>+<base64(type || public key)>` and a signer key
 * `PRIVATE+KEY+<name>+<key ID>+<base64(type || seed)>`, the key ID being the first four bytes of
 * SHA-256(name || 0x0A || type || public key) as eight hex digits. This library knows two types:
 * 0x01, Ed25519 note signatures, and 0x04, Ed25519 cosignatures (see cosignature.ts).
 * https://c2sp.org/signed-note#signatures
 */
import { createHash } from 'node:crypto';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE, ed25519Signer, ed25519Verify, newEd25519Seed } from '../crypto/ed25519.js';
import { decodeBase64, encodeBase64 } from './encoding.js';
import { formatKeyId, MalformedError } from './errors.js';

/** Signature type 0x01: an Ed25519 signature of the note text. */
export const ED25519_SIGNATURE_TYPE = 0x01;

/** Signature type 0x04: a timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature). */
export const COSIGNATURE_V1_TYPE = 0x04;

/** Verifies one key's signatures on note texts. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Whether `signature` (the bytes after the key ID) is this key's signature of `text`. */
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Signs note texts with one key. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** The signature of `text` (without the key ID, which the note line carries before it). */
  sign(text: Uint8Array): Uint8Array;
}

/** A verifier key read from its text form. */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Uint8Array;
}

/** A signer key read from its text form: the seed, with the public key derived from it. */
export interface SignerKey extends VerifierKey {
  readonly seed: Uint8Array;
}

// Go's unicode.IsSpace: ASCII and Latin-1 spaces, and the Unicode White_Space characters.
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const CONTROL = /[\u0000-\u001f]/;
const KEY_ID = /^[0-9a-fA-F]{8}$/;

/** Whether a key name is valid: non-empty, no Unicode space, no `+`, no control character. */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name !== '' && name.isWellFormed() && !SPACE.test(name) && !CONTROL.test(name) && !name.includes('+');
}

/** The key ID: the first four bytes, big-endian, of SHA-256(name || 0x0A || type || public key). */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  return createHash('sha256').update(name, 'utf8').update(Uint8Array.of(0x0a, type)).update(publicKey).digest().readUInt32BE(0);
}

/** Reads a verifier key of type 0x01 or 0x04; {@link MalformedError} if it is anything else. */
export function parseVerifierKey(vkey: string): VerifierKey {
  const [name, id, encoded] = splitKey(vkey, 2);
  const typed = decodeBase64(encoded);
  if (!isValidKeyName(name) || !KEY_ID.test(id) || typed === null || typed.length === 0) {
    throw new MalformedError('verifier key', 'not <name>+<8 hex digits>+<base64 key>');
  }
  const type = typed[0]!;
  const publicKey = typed.subarray(1);
  requireEd25519Type(type, 'verifier key');
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw new MalformedError('verifier key', `an Ed25519 key is ${ED25519_PUBLIC_KEY_SIZE} bytes`);
  if (parseInt(id, 16) !== keyId(name, type, publicKey)) throw new MalformedError('verifier key', 'the key ID does not match the key');
  return { name, keyId: parseInt(id, 16), type, publicKey };
}

/** Reads a signer key of type 0x01 or 0x04. Error messages never repeat the key. */
export function parseSignerKey(skey: string): SignerKey {
  const [private_, key, name, id, encoded] = splitKey(skey, 4);
  const typed = decodeBase64(encoded);
  if (private_ !== 'PRIVATE' || key !== 'KEY' || !isValidKeyName(name) || !KEY_ID.test(id) || typed === null || typed.length === 0) {
    throw new MalformedError('signer key', 'not PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>');
  }
  const type = typed[0]!;
  const seed = typed.slice(1);
  requireEd25519Type(type, 'signer key');
  if (seed.length !== ED25519_SEED_SIZE) throw new MalformedError('signer key', `an Ed25519 seed is ${ED25519_SEED_SIZE} bytes`);
  const { publicKey } = ed25519Signer(seed);
  // The key ID names the public key: it can be checked only once that is derived from the seed.
  if (parseInt(id, 16) !== keyId(name, type, publicKey)) throw new MalformedError('signer key', 'the key ID does not match the key');
  return { name, keyId: parseInt(id, 16), type, publicKey, seed };
}

/** The text form of a verifier key. */
export function formatVerifierKey(name: string, type: number, publicKey: Uint8Array): string {
  requireKeyName(name);
  return `${name}+${formatKeyId(keyId(name, type, publicKey))}+${encodeBase64(Uint8Array.of(type, ...publicKey))}`;
}

/** The text form of a signer key (secret: it signs). */
export function formatSignerKey(name: string, type: number, seed: Uint8Array): string {
  requireKeyName(name);
  const { publicKey } = ed25519Signer(seed);
  return `PRIVATE+KEY+${name}+${formatKeyId(keyId(name, type, publicKey))}+${encodeBase64(Uint8Array.of(type, ...seed))}`;
}

/** A new key pair of the given type for a named signer: the secret signer key and the public verifier key. */
export function generateKey(name: string, type = ED25519_SIGNATURE_TYPE): { signerKey: string; verifierKey: string } {
  requireKeyName(name);
  requireEd25519Type(type, 'key type');
  const seed = newEd25519Seed();
  return { signerKey: formatSignerKey(name, type, seed), verifierKey: formatVerifierKey(name, type, ed25519Signer(seed).publicKey) };
}

/** The verifier key of an Ed25519 public key (Go: note.NewEd25519VerifierKey). */
export function ed25519VerifierKey(name: string, publicKey: Uint8Array): string {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw new RangeError(`an Ed25519 public key is ${ED25519_PUBLIC_KEY_SIZE} bytes`);
  return formatVerifierKey(name, ED25519_SIGNATURE_TYPE, publicKey);
}

/** The verifier of a type 0x01 (Ed25519 note signature) verifier key. */
export function noteVerifier(vkey: string): NoteVerifier {
  const key = parseVerifierKey(vkey);
  requireType(key.type, ED25519_SIGNATURE_TYPE, 'verifier key');
  return { name: key.name, keyId: key.keyId, verify: (text, signature) => ed25519Verify(key.publicKey, text, signature) };
}

/** The signer of a type 0x01 (Ed25519 note signature) signer key. */
export function noteSigner(skey: string): NoteSigner {
  const key = parseSignerKey(skey);
  requireType(key.type, ED25519_SIGNATURE_TYPE, 'signer key');
  const signer = ed25519Signer(key.seed);
  return { name: key.name, keyId: key.keyId, sign: (text) => signer.sign(text) };
}

/** Throws unless the key has the type the caller needs. */
export function requireType(type: number, wanted: number, format: string): void {
  if (type !== wanted) throw new MalformedError(format, `signature type 0x${hex2(type)}, expected 0x${hex2(wanted)}`);
}

function requireEd25519Type(type: number, format: string): void {
  if (type !== ED25519_SIGNATURE_TYPE && type !== COSIGNATURE_V1_TYPE) throw new MalformedError(format, `unknown signature type 0x${hex2(type)}`);
}

function requireKeyName(name: string): void {
  if (!isValidKeyName(name)) throw new MalformedError('key name', `${JSON.stringify(name)} is empty or has a space, a plus or a control character`);
}

/** Splits at the first `count` plus signs (base64 may hold more); missing parts are empty. */
function splitKey(text: string, count: 2): [string, string, string];
function splitKey(text: string, count: 4): [string, string, string, string, string];
function splitKey(text: string, count: number): string[] {
  const parts: string[] = [];
  let rest = typeof text === 'string' ? text : '';
  for (let i = 0; i < count; i++) {
    const at = rest.indexOf('+');
    parts.push(at < 0 ? rest : rest.slice(0, at));
    rest = at < 0 ? '' : rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}
