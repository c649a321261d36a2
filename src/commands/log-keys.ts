/**
 * The transparency log's signing key (issue 14): an Ed25519 signed-note key (type 0x01) whose
 * name is also the log's origin line (c2sp.org/tlog-checkpoint: a schema-less URL). It is read
 * from `LOG_SIGNING_KEY_FILE` when set; otherwise it lives in `DATA_DIR/log-signing.key`,
 * created on first use.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { ED25519_SIGNATURE_TYPE, formatSignerKey, formatVerifierKey, generateKey, noteSigner, type NoteSigner } from '../tlog/index.js';
import { KeyFileError, readSignerKeyFile, writeSignerKeyFile } from './signer-key-file.js';

/** The key file under `DATA_DIR` when `LOG_SIGNING_KEY_FILE` is not set. */
export const LOG_KEY_FILE_NAME = 'log-signing.key';

/** The log's name when `PUBLIC_URL` is not set: a placeholder under the reserved `.example` domain. */
export const FALLBACK_LOG_NAME = 'renunciation-center.example/log';

/** The log's signing key, ready to sign checkpoints. */
export interface LogKey {
  /** The key name, which is the log's origin line. */
  readonly name: string;
  readonly signer: NoteSigner;
  /** `<name>+<hex id>+<base64>`: what verifiers and witnesses are given. */
  readonly verifierKey: string;
  readonly file: string;
  /** Whether this call created the key (the first start with no key file). */
  readonly created: boolean;
}

/**
 * The default key name and origin: the host of `PUBLIC_URL` (with its port, if not the default
 * one) followed by `/log` — `https://example.org` gives `example.org/log` — or
 * {@link FALLBACK_LOG_NAME} when it is not set.
 */
export function defaultLogName(publicUrl: string | undefined): string {
  return publicUrl === undefined ? FALLBACK_LOG_NAME : `${new URL(publicUrl).host}/log`;
}

/** Where the configured key is: `LOG_SIGNING_KEY_FILE`, else `DATA_DIR/log-signing.key`. */
export function logKeyFile(config: Pick<Config, 'dataDir' | 'logSigningKeyFile'>): string {
  return config.logSigningKeyFile ?? path.join(config.dataDir, LOG_KEY_FILE_NAME);
}

/** A new log key pair (the secret signer key and its verifier key). */
export function newLogKey(name: string): { signerKey: string; verifierKey: string } {
  return generateKey(name, ED25519_SIGNATURE_TYPE);
}

/** The configured log key; {@link KeyFileError} if it is missing, unreadable, open to others or not a log key. */
export function readLogKey(config: Pick<Config, 'dataDir' | 'logSigningKeyFile'>): LogKey {
  return readLogKeyFile(logKeyFile(config), false);
}

/**
 * The log key for `serve`: `LOG_SIGNING_KEY_FILE` if set (it must exist and be valid: never
 * replaced by a new key); otherwise `DATA_DIR/log-signing.key`, created (mode 0600) if it does
 * not exist yet, `created` saying so.
 */
export function loadOrCreateLogKey(config: Pick<Config, 'dataDir' | 'logSigningKeyFile' | 'publicUrl'>): LogKey {
  if (config.logSigningKeyFile !== undefined) return readLogKey(config);
  const file = logKeyFile(config);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    try {
      writeSignerKeyFile(file, newLogKey(defaultLogName(config.publicUrl)).signerKey);
      return readLogKeyFile(file, true);
    } catch (error) {
      // Another process created it first: use that one.
      if (!(error instanceof KeyFileError && fs.existsSync(file))) throw error;
    }
  }
  return readLogKeyFile(file, false);
}

function readLogKeyFile(file: string, created: boolean): LogKey {
  const key = readSignerKeyFile(file);
  if (key.type !== ED25519_SIGNATURE_TYPE) {
    throw new KeyFileError(`the key file ${file} holds a witness cosigning key, not a log signing key; make one with rcenter log keygen`);
  }
  const signer = noteSigner(formatSignerKey(key.name, key.type, key.seed));
  return { name: key.name, signer, verifierKey: formatVerifierKey(key.name, key.type, key.publicKey), file, created };
}
