/**
 * A witness's cosigning key: Ed25519 for tlog-cosignature/v1 (signature type 0x04), kept in a
 * signer key file like the log's key. Its name should be a schema-less URL the witness's
 * operator controls (c2sp.org/tlog-cosignature); one key, one witness.
 */
import os from 'node:os';
import { KeyFileError, readSignerKeyFile } from '../commands/signer-key-file.js';
import { COSIGNATURE_V1_TYPE, cosignatureVerifierKey, cosigner, formatSignerKey, isValidKeyName, type NoteSigner } from '../tlog/index.js';

/** A loaded witness key. */
export interface WitnessKey {
  readonly name: string;
  /** Signs cosignatures timestamped by `clock` (epoch milliseconds). */
  readonly cosigner: NoteSigner;
  /** `<name>+<hex id>+<base64>` with type 0x04: what logs and verifiers are given. */
  readonly verifierKey: string;
}

/** The default witness name: this machine's host name followed by `/witness`. */
export function defaultWitnessName(): string {
  const name = `${os.hostname().toLowerCase()}/witness`;
  return isValidKeyName(name) ? name : 'witness.example/witness';
}

/** The witness key in `file`; {@link KeyFileError} if it is missing, open to others, or not a cosigning key. */
export function readWitnessKey(file: string, clock: () => number = Date.now): WitnessKey {
  const key = readSignerKeyFile(file);
  if (key.type !== COSIGNATURE_V1_TYPE) {
    throw new KeyFileError(`the key file ${file} holds a log signing key, not a witness cosigning key; make one with rcenter witness keygen`);
  }
  return {
    name: key.name,
    cosigner: cosigner(formatSignerKey(key.name, key.type, key.seed), clock),
    verifierKey: cosignatureVerifierKey(key.name, key.publicKey),
  };
}
