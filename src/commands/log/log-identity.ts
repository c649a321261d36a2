import { generateKey, noteSigner, noteVerifier, type NoteSigner, type NoteVerifier } from '../../tlog/index.js';

/** The log's key pair in signed-note text form (README "Transparency log"). */
export interface LogKey {
  /** `PRIVATE+KEY+<name>+<id>+<key>` (or the signer made of it): secret, it signs checkpoints. */
  signer: string | NoteSigner;
  /** `<name>+<id>+<key>`: public, served at /log/key. */
  verifier: string;
}

/** Who the log is: its origin (the checkpoints' first line, the key's name) and its key. */
export interface LogIdentity {
  origin: string;
  signer: NoteSigner;
  verifier: NoteVerifier;
  /** The verifier key line served at /log/key. */
  verifierKey: string;
}

/** The origin used when PUBLIC_URL is not set (a log nobody outside should rely on). */
export const DEFAULT_LOG_ORIGIN = 'renunciation-center.example/log';

/**
 * The log's origin: the host of PUBLIC_URL followed by `/log` (the log is served under
 * `<PUBLIC_URL>/log/`, and tlog-tiles asks for the prefix without its scheme), or
 * DEFAULT_LOG_ORIGIN. The same rule names the key that `rcenter log keygen` makes.
 */
export function logOrigin(publicUrl: string | undefined): string {
  return publicUrl ? `${new URL(publicUrl).host}/log` : DEFAULT_LOG_ORIGIN;
}

/**
 * The log's identity from its key, whose name must be the origin (a checkpoint is opened with
 * both, and they must agree); without a key, an ephemeral one (tests, and a `serve` that has not
 * been given one: its checkpoints verify only for as long as it runs).
 */
export function logIdentity(origin: string, key: LogKey | undefined): LogIdentity {
  const pair = key ?? (({ signerKey, verifierKey }) => ({ signer: signerKey, verifier: verifierKey }))(generateKey(origin));
  const signer = typeof pair.signer === 'string' ? noteSigner(pair.signer) : pair.signer;
  const verifier = noteVerifier(pair.verifier);
  if (signer.name !== origin || verifier.name !== origin) throw new Error(`the log key is named ${JSON.stringify(signer.name)}, but the log's origin is ${JSON.stringify(origin)}`);
  if (signer.keyId !== verifier.keyId) throw new Error('the log signer and verifier keys are not one pair');
  return { origin, signer, verifier, verifierKey: pair.verifier };
}

/** The name of a log key: the log's origin. */
export function keyName(key: LogKey): string {
  return noteVerifier(key.verifier).name;
}
