/**
 * The errors of the transparency-log library. Every failure the formats define is one of these
 * classes, so a caller (a witness answering 400/403/409/422, `rcenter verify` naming what failed)
 * can tell them apart with `instanceof` rather than by reading messages.
 */
import type { Note } from './note.js';

/** Input that does not follow the format it claims: a tile path, bundle, key, note, checkpoint, request. */
export class MalformedError extends Error {
  override readonly name = 'MalformedError';

  constructor(
    /** What was being read, in the specification's words: "tile path", "signed note", "checkpoint", … */
    readonly format: string,
    detail: string,
  ) {
    super(`malformed ${format}: ${detail}`);
  }
}

/** A proof, or a set of tiles, that does not lead to the hash it should: the log is not what it claims. */
export class ProofError extends Error {
  override readonly name = 'ProofError';
}

/** A note with no signature from any known key (RFC: "clients MUST reject the note"). */
export class UnverifiedNoteError extends Error {
  override readonly name = 'UnverifiedNoteError';

  constructor(
    /** The parsed note, every signature in it unverified. */
    readonly note: Note,
    detail = 'note has no verifiable signatures',
  ) {
    super(detail);
  }
}

/** A signature by a known key (same name and key ID) that does not verify: the whole note is rejected. */
export class InvalidSignatureError extends Error {
  override readonly name = 'InvalidSignatureError';

  constructor(
    readonly keyName: string,
    readonly keyId: number,
  ) {
    super(`invalid signature for key ${keyName}+${formatKeyId(keyId)}`);
  }
}

/** Two known keys share a name and key ID, and a signature names them: no way to know which one signed. */
export class AmbiguousKeyError extends Error {
  override readonly name = 'AmbiguousKeyError';

  constructor(
    readonly keyName: string,
    readonly keyId: number,
  ) {
    super(`ambiguous key ${keyName}+${formatKeyId(keyId)}`);
  }
}

/** A key ID as keys and messages write it: eight lower-case hex digits. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}
