import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 (RFC 8032) over raw keys, as signed notes and cosignatures store them: a 32-byte seed
 * and a 32-byte public key. Node takes keys only in DER, so the raw bytes are wrapped in the
 * fixed PKCS #8 and SPKI prefixes of RFC 8410.
 */

export const ED25519_SEED_SIZE = 32;
export const ED25519_PUBLIC_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

// RFC 8410 §7 and §4: the DER of a PrivateKeyInfo / SubjectPublicKeyInfo for id-Ed25519, less the key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A signing key made from a seed; the seed itself stays inside. */
export interface Ed25519Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** A new random 32-byte seed. */
export function newEd25519Seed(): Uint8Array {
  return randomBytes(ED25519_SEED_SIZE);
}

/** The signing key of a 32-byte seed. */
export function ed25519Signer(seed: Uint8Array): Ed25519Signer {
  if (seed.length !== ED25519_SEED_SIZE) throw new RangeError(`an Ed25519 seed is ${ED25519_SEED_SIZE} bytes, not ${seed.length}`);
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return {
    publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX.length)),
    sign: (message) => sign(null, message, key),
  };
}

/** Whether `signature` is a valid Ed25519 signature of `message` by `publicKey`. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE || signature.length !== ED25519_SIGNATURE_SIZE) return false;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    // Bytes that are not a point on the curve: no signature verifies against them.
    return false;
  }
}
