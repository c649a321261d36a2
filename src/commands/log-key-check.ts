import {
  cosignatureVerifier,
  InvalidSignatureError,
  MalformedError,
  noteVerifier,
  openCheckpoint,
  UnverifiedNoteError,
  type Checkpoint,
  type Note,
  type NoteVerifier,
} from '../tlog/index.js';
import { LogSourceError, type LogSource } from './log-source.js';
import type { CheckLine } from './log-verify-support.js';
import type { VerifyState } from './log-verify-state.js';

// Step 1 of `rcenter verify`: whose log this is. The checkpoint must carry a valid Ed25519
// signed-note signature by the log's key — the one given with --key, else the one pinned in the
// state file at the first run, else (said plainly) the one the log serves itself — and, when
// witnesses are given, valid tlog-cosignature/v1 cosignatures of at least a quorum of them.

/** The log key checkpoints are checked with, and its text as pinned in the state. */
export interface ChosenKey {
  verifier: NoteVerifier;
  text: string;
}

type Report = (line: CheckLine) => void;

/** Picks the key and reports how far it can be trusted; undefined when there is none to use. */
export async function chooseLogKey(source: LogSource, given: string | undefined, state: VerifyState | undefined, stateFile: string | undefined, report: Report): Promise<ChosenKey | undefined> {
  const served = await readServedKey(source);
  const text = given?.trim() ?? state?.key ?? served;
  if (text === undefined) {
    report({ ok: false, check: 'key', detail: 'no --key given and the source serves no key at log/key: nothing to check the checkpoint with' });
    return undefined;
  }
  let verifier: NoteVerifier;
  try {
    verifier = noteVerifier(text);
  } catch (error) {
    report({ ok: false, check: 'key', detail: `${given !== undefined ? '--key' : state ? 'the pinned key' : 'log/key'} is not an Ed25519 verifier key: ${(error as Error).message}` });
    return undefined;
  }
  const key = { verifier, text };
  const name = `${verifier.name}+${verifier.keyId.toString(16).padStart(8, '0')}`;
  if (state !== undefined && state.key !== text) {
    report({ ok: false, check: 'key', detail: `--key ${name} is not the key pinned in ${stateFile} since its first run (${state.key}); if the center announced a new key, start a new state file` });
  } else if (served !== undefined && served !== text) {
    report({ ok: false, check: 'key', detail: `the log now serves another key at log/key (${served}) than the ${given !== undefined ? 'one given with --key' : `one pinned in ${stateFile}`} (${name}): the key changed` });
  } else if (given !== undefined) {
    report({ ok: true, check: 'key', detail: `checkpoints are checked with the key given by --key, ${name}` });
  } else if (state !== undefined) {
    report({ ok: true, check: 'key', detail: `checkpoints are checked with ${name}, pinned in ${stateFile} at its first run (and the log still serves it)` });
  } else {
    report({
      ok: true,
      check: 'key',
      detail:
        `no --key given: using the key the log serves itself, ${name}. This only proves the log is consistent with itself, ` +
        `not whose it is (trust on first use)${stateFile ? `; it is pinned in ${stateFile} from now on` : ''}. Give --key with the key the center publishes elsewhere`,
    });
  }
  return key;
}

/** log/key: one line `<name>+<hex8>+<base64>` and a LF; undefined when not served or not one line. */
async function readServedKey(source: LogSource): Promise<string | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await source.read('log/key', 4096);
  } catch (error) {
    if (error instanceof LogSourceError) return undefined;
    throw error;
  }
  if (bytes === undefined) return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  return text.endsWith('\n') && !text.slice(0, -1).includes('\n') ? text.slice(0, -1) : text;
}

/** Opens the checkpoint with the log key and counts the witnesses' cosignatures; undefined when it cannot be used. */
export async function checkCheckpoint(
  source: LogSource,
  key: ChosenKey,
  witnesses: readonly string[],
  quorum: number | undefined,
  report: Report,
): Promise<{ checkpoint: Checkpoint; note: Note } | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await source.read('log/checkpoint', 1024 * 1024);
  } catch (error) {
    if (!(error instanceof LogSourceError)) throw error;
    report({ ok: false, check: 'checkpoint', detail: error.message });
    return undefined;
  }
  if (bytes === undefined) {
    report({ ok: false, check: 'checkpoint', detail: 'the source serves no checkpoint at log/checkpoint' });
    return undefined;
  }
  let opened: { checkpoint: Checkpoint; note: Note };
  try {
    opened = openCheckpoint(bytes, { origin: key.verifier.name, logVerifier: key.verifier });
  } catch (error) {
    report({ ok: false, check: 'checkpoint', detail: whyNotOpened(error, key.verifier) });
    return undefined;
  }
  const { checkpoint } = opened;
  report({ ok: true, check: 'checkpoint', detail: `signed by the log key: ${checkpoint.origin}, ${checkpoint.size} entries, root ${Buffer.from(checkpoint.rootHash).toString('base64')}` });
  report(checkWitnesses(opened.note, witnesses, quorum));
  return opened;
}

function whyNotOpened(error: unknown, verifier: NoteVerifier): string {
  if (error instanceof InvalidSignatureError) return `the signature by ${verifier.name} does not verify: the checkpoint was forged or altered`;
  if (error instanceof UnverifiedNoteError) {
    const signers = [...error.note.signatures, ...error.note.unverifiedSignatures].map((s) => s.name);
    return `not signed by the log key ${verifier.name} (signed by: ${signers.join(', ') || 'nobody'}): forged, or signed by another key`;
  }
  if (error instanceof MalformedError) return `${error.message}`;
  throw error;
}

/** At least `quorum` of the distinct witnesses given (default: all) have a valid cosignature on the note. */
export function checkWitnesses(note: Note, witnesses: readonly string[], quorum: number | undefined): CheckLine {
  const keys = [...new Set(witnesses.map((w) => w.trim()))];
  if (keys.length === 0) return { ok: undefined, check: 'witnesses', detail: 'no --witness given: nobody but the log vouches that others were shown the same checkpoint' };
  const needed = quorum ?? keys.length;
  const text = Buffer.from(note.text, 'utf8');
  const signatures = [...note.signatures, ...note.unverifiedSignatures];
  const valid: string[] = [];
  const invalid: string[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const verifier = cosignatureVerifier(key);
    const lines = signatures.filter((s) => s.name === verifier.name && s.keyId === verifier.keyId);
    if (lines.length === 0) missing.push(verifier.name);
    else if (lines.some((s) => verifier.verify(text, Buffer.from(s.base64, 'base64').subarray(4)))) valid.push(verifier.name);
    else invalid.push(verifier.name);
  }
  const named = [valid.length ? `valid: ${valid.join(', ')}` : '', invalid.length ? `invalid: ${invalid.join(', ')}` : '', missing.length ? `absent: ${missing.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return valid.length >= needed
    ? { ok: true, check: 'witnesses', detail: `${valid.length} of the ${keys.length} witnesses given cosigned this checkpoint (quorum ${needed}; ${named})` }
    : { ok: false, check: 'witnesses', detail: `only ${valid.length} of the ${keys.length} witnesses given cosigned this checkpoint, ${needed} needed (${named})` };
}
