/**
 * Signed notes (c2sp.org/signed-note, Go's golang.org/x/mod/sumdb/note): a text ending in a
 * newline, a blank line, then lines `— <key name> base64(key ID || signature)`. Opening a note
 * verifies every signature by a known key (name and key ID both match), keeps the others as
 * unverified, and fails unless at least one known key signed.
 * https://c2sp.org/signed-note
 */
import { decodeBase64, decodeUtf8, encodeBase64, readUint32 } from './encoding.js';
import { AmbiguousKeyError, InvalidSignatureError, MalformedError, UnverifiedNoteError } from './errors.js';
import { isValidKeyName, type NoteSigner, type NoteVerifier } from './note-keys.js';

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** base64(key ID || signature), as the line carries it. */
  readonly base64: string;
}

/** A note's text and signatures: those verified by known keys, and the others. */
export interface Note {
  /** The text, ending in its final newline (not the blank line before the signatures). */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
  readonly unverifiedSignatures: readonly NoteSignature[];
}

/**
 * The most signature lines a note may have. The specification asks verifiers to accept at
 * least 16; Go's note.Open refuses more than 100, and so does this.
 */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';
// Every ASCII control character but the newline.
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/** A note split into its text and signature lines, nothing verified. {@link MalformedError} if it is not one. */
export function parseNote(message: Uint8Array | string): { text: string; signatures: NoteSignature[] } {
  const whole = noteText(message);
  // The text is separated from the signatures by the last empty line of the note.
  const split = whole.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedError('signed note', 'no blank line before the signatures');
  const block = whole.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new MalformedError('signed note', 'the signatures must end in a newline');
  return { text: whole.slice(0, split + 1), signatures: parseSignatureLines(block) };
}

/**
 * Opens a note: verifies the signatures of the known keys among `verifiers`. Throws
 * {@link InvalidSignatureError} if one of them does not verify, {@link AmbiguousKeyError} if two
 * known keys share the name and ID a signature names, and {@link UnverifiedNoteError} if no
 * known key signed. Repeated signatures are listed once.
 */
export function openNote(message: Uint8Array | string, verifiers: readonly NoteVerifier[]): Note {
  const { text, signatures: lines } = parseNote(message);
  const textBytes = Buffer.from(text, 'utf8');
  const known = new Map<string, NoteVerifier[]>();
  for (const verifier of verifiers) known.set(keyOf(verifier), [...(known.get(keyOf(verifier)) ?? []), verifier]);
  const signatures: NoteSignature[] = [];
  const unverifiedSignatures: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const candidates = known.get(keyOf(line));
    if (candidates === undefined) {
      const identical = `${keyOf(line)} ${line.base64}`;
      if (!seen.has(identical)) unverifiedSignatures.push(line);
      seen.add(identical);
      continue;
    }
    if (candidates.length > 1) throw new AmbiguousKeyError(line.name, line.keyId);
    // Every signature by a known key is verified, repeated ones too (the specification's MUST).
    if (!candidates[0]!.verify(textBytes, signatureBytes(line))) throw new InvalidSignatureError(line.name, line.keyId);
    if (!seen.has(keyOf(line))) signatures.push(line);
    seen.add(keyOf(line));
  }
  if (signatures.length === 0) throw new UnverifiedNoteError({ text, signatures, unverifiedSignatures });
  return { text, signatures, unverifiedSignatures };
}

/**
 * The signed note of `note.text` with the signatures of `signers` after those `note` already
 * has, an existing signature by one of the signers' keys being replaced (Go: note.Sign).
 */
export function signNote(
  note: { readonly text: string; readonly signatures?: readonly NoteSignature[]; readonly unverifiedSignatures?: readonly NoteSignature[] },
  signers: readonly NoteSigner[],
): string {
  const text = validText(note.text);
  const replaced = new Set(signers.map(keyOf));
  const kept = [...(note.signatures ?? []), ...(note.unverifiedSignatures ?? [])].filter((s) => !replaced.has(keyOf(s)));
  for (const signature of kept) {
    const bytes = decodeBase64(signature.base64);
    if (!isValidKeyName(signature.name) || bytes === null || bytes.length < 5 || readUint32(bytes) !== signature.keyId) {
      throw new MalformedError('signed note', `existing signature by ${JSON.stringify(signature.name)} is not well formed`);
    }
  }
  const lines = [...kept.map(formatSignatureLine), ...signers.map((signer) => signatureLine(text, signer))];
  if (lines.length === 0) throw new MalformedError('signed note', 'a note needs at least one signature');
  return `${text}\n${lines.join('')}`;
}

/** The signature line `— <name> <base64>\n` of `signer` for a note text. */
export function signatureLine(text: string, signer: NoteSigner): string {
  if (!isValidKeyName(signer.name)) throw new MalformedError('signer', `invalid key name ${JSON.stringify(signer.name)}`);
  const signature = signer.sign(Buffer.from(validText(text), 'utf8'));
  const bytes = Buffer.alloc(4 + signature.length);
  bytes.writeUInt32BE(signer.keyId >>> 0, 0);
  bytes.set(signature, 4);
  return formatSignatureLine({ name: signer.name, keyId: signer.keyId, base64: encodeBase64(bytes) });
}

/** Reads one or more signature lines, each ending in a newline (a note's end, or a witness's answer). */
export function parseSignatureLines(block: string): NoteSignature[] {
  if (block === '' || !block.endsWith('\n')) throw new MalformedError('signed note', 'signature lines must end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new MalformedError('signed note', `more than ${MAX_NOTE_SIGNATURES} signatures`);
  return lines.map(parseSignatureLine);
}

/** The signature bytes of a line, after its four-byte key ID. */
function signatureBytes(signature: NoteSignature): Uint8Array {
  return decodeBase64(signature.base64)!.subarray(4);
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new MalformedError('signed note', 'a signature line must start with "— "');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const base64 = space < 0 ? '' : rest.slice(space + 1);
  const bytes = decodeBase64(base64);
  if (!isValidKeyName(name) || bytes === null || bytes.length < 5) {
    throw new MalformedError('signed note', 'a signature line is "— <key name> <base64 of key ID and signature>"');
  }
  return { name, keyId: readUint32(bytes), base64 };
}

function formatSignatureLine(signature: NoteSignature): string {
  return `${SIGNATURE_PREFIX}${signature.name} ${signature.base64}\n`;
}

/** The whole note as text: valid UTF-8 with no control character but the newline. */
function noteText(message: Uint8Array | string): string {
  const text = typeof message === 'string' ? (message.isWellFormed() ? message : null) : decodeUtf8(message);
  if (text === null) throw new MalformedError('signed note', 'not valid UTF-8');
  if (CONTROL.test(text)) throw new MalformedError('signed note', 'a control character other than newline');
  return text;
}

/** A text that can be signed: it ends in a newline and would open again. */
function validText(text: string): string {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new MalformedError('signed note', 'the text must end in a newline');
  return noteText(text);
}

function keyOf(key: { readonly name: string; readonly keyId: number }): string {
  return `${key.keyId >>> 0}:${key.name}`;
}

