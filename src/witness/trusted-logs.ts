/**
 * The logs a witness follows: for each origin line, the log verifier keys (Ed25519, type 0x01)
 * it trusts. Given as `ORIGIN=VKEY`, or `VKEY` alone when the origin is the key's name (the
 * usual case), on the command line or one a line in a file.
 */
import { MalformedError, noteVerifier, parseVerifierKey, type NoteVerifier } from '../tlog/index.js';

/** Origin → the verifiers of the keys trusted for it. */
export type TrustedLogs = ReadonlyMap<string, readonly NoteVerifier[]>;

/** One trusted key of one log. */
export interface TrustedLogKey {
  readonly origin: string;
  readonly verifierKey: string;
}

/** A problem with the list of logs; the message names the entry. */
export class TrustedLogsError extends Error {
  override readonly name = 'TrustedLogsError';
}

/**
 * Reads `ORIGIN=VKEY` or `VKEY`. A whole entry that is a verifier key is read as `VKEY` (whose
 * base64 may end in `=`); otherwise it is split at its first `=`, so an origin cannot hold one.
 */
export function parseTrustedLogKey(entry: string): TrustedLogKey {
  const text = entry.trim();
  if (isVerifierKey(text)) return { origin: parseVerifierKey(text).name, verifierKey: text };
  const at = text.indexOf('=');
  const origin = at < 0 ? '' : text.slice(0, at);
  const verifierKey = at < 0 ? text : text.slice(at + 1);
  if (origin === '' || /[\u0000-\u001f]/.test(origin)) throw new TrustedLogsError(`${JSON.stringify(shorten(entry))}: not ORIGIN=VKEY or VKEY`);
  if (!isVerifierKey(verifierKey)) throw new TrustedLogsError(`${JSON.stringify(shorten(entry))}: ${JSON.stringify(shorten(verifierKey))} is not a verifier key <name>+<hex id>+<base64>`);
  return { origin, verifierKey };
}

/** The entries of a logs file: one `ORIGIN=VKEY` or `VKEY` a line; empty lines and `#` comments skipped. */
export function parseTrustedLogsFile(text: string): TrustedLogKey[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseTrustedLogKey);
}

/**
 * The trusted logs of the entries. Refuses a key that is not a log key (type 0x01) and two
 * different keys of one origin with the same name and key ID (no one could tell which signed);
 * the same key given twice counts once.
 */
export function trustedLogs(entries: readonly TrustedLogKey[]): TrustedLogs {
  const keys = new Map<string, Map<string, string>>();
  for (const { origin, verifierKey } of entries) {
    const key = parseVerifierKey(verifierKey);
    const id = `${key.name}+${key.keyId}`;
    const ofOrigin = keys.get(origin) ?? new Map<string, string>();
    const known = ofOrigin.get(id);
    if (known !== undefined && known !== verifierKey) throw new TrustedLogsError(`${origin}: two different keys named ${key.name} share one key ID`);
    ofOrigin.set(id, verifierKey);
    keys.set(origin, ofOrigin);
  }
  const logs = new Map<string, NoteVerifier[]>();
  for (const [origin, ofOrigin] of keys) {
    logs.set(
      origin,
      [...ofOrigin.values()].map((vkey) => {
        try {
          return noteVerifier(vkey);
        } catch (error) {
          if (error instanceof MalformedError) throw new TrustedLogsError(`${origin}: ${shorten(vkey)} is not a log signing key (${error.message})`);
          throw error;
        }
      }),
    );
  }
  return logs;
}

function isVerifierKey(text: string): boolean {
  try {
    parseVerifierKey(text);
    return true;
  } catch {
    return false;
  }
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
