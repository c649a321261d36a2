import { createHash } from 'node:crypto';
import { openNote, signNote, type NoteSigner, type NoteVerifier } from '../../tlog/index.js';

// The manifest of a mirror (docs/mirror.md): `mirror/files.txt` lists every file of the export
// with its SHA-256 and size, one line each, sorted by path; `mirror/manifest` is a signed note
// (C2SP signed-note, signed with the log's key) that binds that list, by its own SHA-256, to the
// checkpoint the export was made at. Neither lists itself.

export const MANIFEST_FILE = 'mirror/manifest';
export const FILE_LIST = 'mirror/files.txt';
const HEADER = 'rcenter mirror export v1';

/** What the signed manifest says. */
export interface ManifestText {
  origin: string;
  size: number;
  /** Base64 of the checkpoint's root hash. */
  rootHash: string;
  files: number;
  /** Hex SHA-256 of files.txt. */
  listHash: string;
  /** When the export was made (ISO 8601, UTC, to the second). */
  exportedAt: string;
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** One line of files.txt per file: `<sha256 hex> <size> <path>`; a path never holds a newline. */
export class FileList {
  private readonly files = new Map<string, string>();

  /** Records `bytes` as the content of `file` and returns its hex SHA-256. */
  set(file: string, bytes: Uint8Array): string {
    if (file.includes('\n') || file.startsWith('/')) throw new Error(`not a mirror path: ${file}`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    this.files.set(file, `${sha} ${bytes.length}`);
    return sha;
  }

  /** Records a line read back (from an earlier list or a journal). */
  setLine(file: string, shaAndSize: string): void {
    this.files.set(file, shaAndSize);
  }

  delete(file: string): boolean {
    return this.files.delete(file);
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  get size(): number {
    return this.files.size;
  }

  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  /** The `<sha256> <size>` of a file, or undefined. */
  lineOf(file: string): string | undefined {
    return this.files.get(file);
  }

  /** files.txt: sorted by path (by UTF-16 code units, which for these ASCII paths is bytewise). */
  text(): string {
    const sorted = [...this.files.keys()].sort();
    return sorted.map((file) => `${this.files.get(file)} ${file}\n`).join('');
  }

  static parse(text: string): FileList {
    const list = new FileList();
    for (const { file, sha, size } of parseFileList(text)) list.setLine(file, `${sha} ${size}`);
    return list;
  }
}

/** The lines of files.txt; throws ManifestError on the first malformed one. */
export function* parseFileList(text: string): Generator<{ file: string; sha: string; size: number }> {
  if (text !== '' && !text.endsWith('\n')) throw new ManifestError('files.txt does not end in a newline');
  let previous = '';
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) (0|[1-9]\d{0,12}) ([A-Za-z0-9_.+/-]{1,300})$/.exec(line);
    if (!match) throw new ManifestError(`files.txt line ${lineNumber} is not "<sha256> <size> <path>"`);
    const file = match[3]!;
    if (file.split('/').some((part) => part === '' || part === '.' || part === '..')) throw new ManifestError(`files.txt line ${lineNumber}: not a plain relative path`);
    if (file <= previous) throw new ManifestError(`files.txt line ${lineNumber}: not sorted, or listed twice (${file})`);
    previous = file;
    yield { file, sha: match[1]!, size: Number(match[2]) };
  }
}

/** The signed manifest for `list` (the text of files.txt). */
export function signManifest(fields: Omit<ManifestText, 'files' | 'listHash'>, list: string, signer: NoteSigner): string {
  const files = list === '' ? 0 : list.split('\n').length - 1;
  const listHash = createHash('sha256').update(list).digest('hex');
  const text = `${HEADER}\n${fields.origin}\n${fields.size}\n${fields.rootHash}\nfiles ${files} ${listHash}\nexported ${fields.exportedAt}\n`;
  return signNote({ text }, [signer]);
}

/** Opens a manifest signed by `verifier`; ManifestError when it is not one, or not signed by it. */
export function openManifest(bytes: Uint8Array, verifier: NoteVerifier): ManifestText {
  let text: string;
  try {
    text = openNote(bytes, [verifier]).text;
  } catch (error) {
    throw new ManifestError(`mirror/manifest is not signed by the log's key ${verifier.name} (${(error as Error).message})`);
  }
  return parseManifestText(text);
}

/** The fields of a manifest's text, without checking any signature. */
export function parseManifestText(text: string): ManifestText {
  const match = /^rcenter mirror export v1\n([^\n]+)\n(0|[1-9]\d{0,15})\n([A-Za-z0-9+/]{43}=)\nfiles (0|[1-9]\d{0,12}) ([0-9a-f]{64})\nexported (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\n$/.exec(text);
  if (!match) throw new ManifestError('mirror/manifest is not an rcenter mirror manifest (v1)');
  return { origin: match[1]!, size: Number(match[2]), rootHash: match[3]!, files: Number(match[4]), listHash: match[5]!, exportedAt: match[6]! };
}
