import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseVerifierKey } from '../tlog/index.js';

/**
 * What `rcenter verify --state FILE` remembers between runs: the log's origin and key (pinned at
 * the first run: a changed key fails), and the tree head last verified. The next run must find
 * that tree inside the new one (same root at the old size), so a rewritten, forked or rolled-back
 * history fails. The file is JSON:
 *
 *     {"version":1,"origin":"…","key":"<name>+<hex8>+<base64>","size":N,"rootHash":"<base64>","verifiedAt":"<ISO time>"}
 */
export interface VerifyState {
  version: 1;
  origin: string;
  key: string;
  size: number;
  rootHash: string;
  /** When the run that wrote it passed (for people reading the file; not checked). */
  verifiedAt: string;
}

export class VerifyStateError extends Error {
  override readonly name = 'VerifyStateError';
}

/** The state in `file`, or undefined when there is no such file (a first run). */
export async function readVerifyState(file: string): Promise<VerifyState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VerifyStateError(`${file}: ${(error as Error).message}`);
  }
  let json: Partial<VerifyState>;
  try {
    json = JSON.parse(text) as Partial<VerifyState>;
  } catch {
    throw new VerifyStateError(`${file} is not JSON`);
  }
  const ok =
    json.version === 1 &&
    typeof json.origin === 'string' &&
    typeof json.key === 'string' &&
    Number.isSafeInteger(json.size) &&
    json.size! >= 0 &&
    typeof json.rootHash === 'string' &&
    Buffer.from(json.rootHash, 'base64').length === 32;
  if (!ok) throw new VerifyStateError(`${file} is not a verify state (version 1: origin, key, size, rootHash)`);
  try {
    parseVerifierKey(json.key!);
  } catch {
    throw new VerifyStateError(`${file}: the pinned key is not a verifier key`);
  }
  return json as VerifyState;
}

/** Writes the state beside `file` and renames it into place, so a reader never sees half a file. */
export async function writeVerifyState(file: string, state: VerifyState): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644, flag: 'wx', flush: true });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
