/**
 * tlog-checkpoint: the note text a log signs for a tree head, three lines and optional
 * extension lines, each ending in a newline:
 *
 *     <origin>
 *     <tree size, decimal, no leading zeroes>
 *     <root hash, base64>
 *     [<extension line>…]
 *
 * https://c2sp.org/tlog-checkpoint
 */
import { decodeBase64, encodeBase64, parseDecimal } from './encoding.js';
import { MalformedError, UnverifiedNoteError } from './errors.js';
import { HASH_SIZE, requireCount, requireHash, type Hash } from './hash.js';
import { openNote, type Note } from './note.js';
import type { NoteVerifier } from './note-keys.js';

/** A log's tree head, as its checkpoint states it. */
export interface Checkpoint {
  /** The log's identity, e.g. `example.com/log` (its key name should match it). */
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Hash;
  /** Opaque, non-empty lines after the root hash; their use is not recommended. */
  readonly extensions: readonly string[];
}

// ASCII control characters other than the newline, which only separates lines.
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/** The checkpoint text (the body a log signs). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  requireCount(checkpoint.size, 'tree size');
  requireHash(checkpoint.rootHash, 'root hash');
  for (const line of [checkpoint.origin, ...checkpoint.extensions]) {
    if (typeof line !== 'string' || line === '' || line.includes('\n') || CONTROL.test(line) || !line.isWellFormed()) {
      throw new MalformedError('checkpoint', 'the origin and each extension line must be one non-empty line of text');
    }
  }
  return [checkpoint.origin, String(checkpoint.size), encodeBase64(checkpoint.rootHash), ...checkpoint.extensions].map((l) => `${l}\n`).join('');
}

/** Reads a checkpoint text strictly; {@link MalformedError} names what is wrong. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new MalformedError('checkpoint', 'the text must end in a newline');
  if (CONTROL.test(text) || !text.isWellFormed()) throw new MalformedError('checkpoint', 'not valid text');
  const [origin, size, root, ...extensions] = text.slice(0, -1).split('\n');
  if (origin === undefined || size === undefined || root === undefined) throw new MalformedError('checkpoint', 'fewer than three lines');
  if (origin === '') throw new MalformedError('checkpoint', 'empty origin');
  const treeSize = parseDecimal(size);
  if (treeSize === null) throw new MalformedError('checkpoint', 'the tree size is not a decimal without leading zeroes below 2^53');
  const rootHash = decodeBase64(root);
  if (rootHash === null || rootHash.length !== HASH_SIZE) throw new MalformedError('checkpoint', `the root hash is not base64 of ${HASH_SIZE} bytes`);
  if (extensions.includes('')) throw new MalformedError('checkpoint', 'an empty extension line');
  return { origin, size: treeSize, rootHash, extensions };
}

/**
 * Opens a signed checkpoint of the log `origin`: its note must carry a valid signature by
 * `logVerifier`; signatures by `cosigners` are verified too, others kept unverified.
 */
export function openCheckpoint(
  message: Uint8Array | string,
  options: { readonly origin: string; readonly logVerifier: NoteVerifier; readonly cosigners?: readonly NoteVerifier[] },
): { checkpoint: Checkpoint; note: Note } {
  const { origin, logVerifier, cosigners = [] } = options;
  const note = openNote(message, [logVerifier, ...cosigners]);
  if (!note.signatures.some((s) => s.name === logVerifier.name && s.keyId === logVerifier.keyId)) {
    throw new UnverifiedNoteError(note, `no signature by the log key ${logVerifier.name}`);
  }
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== origin) throw new MalformedError('checkpoint', `origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`);
  return { checkpoint, note };
}
