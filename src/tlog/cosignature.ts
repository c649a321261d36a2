/**
 * tlog-cosignature/v1 with Ed25519 (signature type 0x04): a witness's timestamped signature of a
 * checkpoint. The signed message is `cosignature/v1\ntime <timestamp>\n` and the checkpoint text;
 * the note signature is base64(key ID || uint64 timestamp || Ed25519 signature), the key ID being
 * SHA-256(name || 0x0A || 0x04 || public key)[:4]. The name is not signed: one key, one cosigner.
 * https://c2sp.org/tlog-cosignature
 */
import { ed25519Signer, ed25519Verify } from '../crypto/ed25519.js';
import { decodeBase64, decodeUtf8 } from './encoding.js';
import { MalformedError } from './errors.js';
import { parseCheckpoint } from './checkpoint.js';
import type { NoteSignature } from './note.js';
import {
  COSIGNATURE_V1_TYPE,
  formatVerifierKey,
  generateKey,
  keyId,
  parseSignerKey,
  parseVerifierKey,
  requireType,
  type NoteSigner,
  type NoteVerifier,
} from './note-keys.js';

/** The largest timestamp a cosignature may carry (2^63 − 1 seconds). */
export const MAX_COSIGNATURE_TIMESTAMP = 2n ** 63n - 1n;

const TIMESTAMP_SIZE = 8;
const SIGNATURE_SIZE = TIMESTAMP_SIZE + 64;

/** The key ID of an Ed25519 cosigner key. */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): number {
  return keyId(name, COSIGNATURE_V1_TYPE, publicKey);
}

/** The verifier key (type 0x04) of a cosigner's Ed25519 public key. */
export function cosignatureVerifierKey(name: string, publicKey: Uint8Array): string {
  return formatVerifierKey(name, COSIGNATURE_V1_TYPE, publicKey);
}

/** A new cosigner key pair (type 0x04) for a named witness. */
export function generateCosignatureKey(name: string): { signerKey: string; verifierKey: string } {
  return generateKey(name, COSIGNATURE_V1_TYPE);
}

/** The message a cosigner signs: the header line, the timestamp line, then the checkpoint text. */
export function cosignatureMessage(checkpointText: string, timestamp: number | bigint): Uint8Array {
  const time = BigInt(timestamp);
  if (time < 0n || time > MAX_COSIGNATURE_TIMESTAMP) throw new RangeError(`cosignature timestamp ${time} is out of range`);
  parseCheckpoint(checkpointText);
  return Buffer.from(`cosignature/v1\ntime ${time}\n${checkpointText}`, 'utf8');
}

/**
 * The cosigner of a type 0x04 signer key. Its signatures are timestamped with `clock()` (epoch
 * milliseconds, as Date.now) in whole seconds; it signs checkpoint texts only.
 */
export function cosigner(skey: string, clock: () => number = Date.now): NoteSigner {
  const key = parseSignerKey(skey);
  requireType(key.type, COSIGNATURE_V1_TYPE, 'signer key');
  const signer = ed25519Signer(key.seed);
  return {
    name: key.name,
    keyId: key.keyId,
    sign(text) {
      const checkpointText = decodeUtf8(text);
      if (checkpointText === null) throw new MalformedError('checkpoint', 'not valid UTF-8');
      const timestamp = BigInt(Math.floor(clock() / 1000));
      const signature = Buffer.alloc(SIGNATURE_SIZE);
      signature.writeBigUInt64BE(timestamp, 0);
      signature.set(signer.sign(cosignatureMessage(checkpointText, timestamp)), TIMESTAMP_SIZE);
      return signature;
    },
  };
}

/** The verifier of a type 0x04 verifier key: checks a cosignature, its timestamp included. */
export function cosignatureVerifier(vkey: string): NoteVerifier {
  const key = parseVerifierKey(vkey);
  requireType(key.type, COSIGNATURE_V1_TYPE, 'verifier key');
  return {
    name: key.name,
    keyId: key.keyId,
    verify(text, signature) {
      if (signature.length !== SIGNATURE_SIZE) return false;
      const timestamp = Buffer.from(signature.buffer, signature.byteOffset, signature.length).readBigUInt64BE(0);
      const checkpointText = decodeUtf8(text);
      if (timestamp > MAX_COSIGNATURE_TIMESTAMP || checkpointText === null) return false;
      let message: Uint8Array;
      try {
        message = cosignatureMessage(checkpointText, timestamp);
      } catch {
        return false; // only checkpoints are cosigned
      }
      return ed25519Verify(key.publicKey, message, signature.subarray(TIMESTAMP_SIZE));
    },
  };
}

/** The timestamp (POSIX seconds) of a cosignature line; {@link MalformedError} if it is not one. */
export function cosignatureTimestamp(signature: NoteSignature): number {
  const bytes = decodeBase64(signature.base64);
  if (bytes === null || bytes.length !== 4 + SIGNATURE_SIZE) throw new MalformedError('cosignature', 'not key ID, timestamp and Ed25519 signature');
  const timestamp = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readBigUInt64BE(4);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedError('cosignature', 'timestamp beyond 2^53 seconds');
  return Number(timestamp);
}
