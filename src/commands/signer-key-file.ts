/**
 * Files that hold one signed-note signer key (`PRIVATE+KEY+<name>+<id>+<base64>` and a newline,
 * as Go's note tools write them): the log's signing key and a witness's cosigning key. Written
 * once with mode 0600 and never over an existing file (a replaced key would orphan everything it
 * signed); read only when no one but the owner can read or change it, as ssh does with its keys.
 * Messages name the file and the problem, never the key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MalformedError, parseSignerKey, type SignerKey } from '../tlog/index.js';

/** A key file that cannot be written or used; the message says which and why. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/** Writes `signerKey` to a new file, mode 0600, flushed to disk with its directory entry. */
export function writeSignerKeyFile(file: string, signerKey: string): void {
  let fd: number;
  try {
    // 'wx': fail if the file exists, even if it appeared a moment ago.
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new KeyFileError(`${file} already exists; refusing to overwrite a signing key (move it away first)`);
    throw new KeyFileError(`cannot create ${file}: ${code ?? String(error)}`);
  }
  try {
    fs.writeSync(fd, `${signerKey}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  syncDirectory(path.dirname(file));
}

/**
 * The signer key in `file`, parsed (any type). {@link KeyFileError} if the file is missing,
 * unreadable, not a regular file, open to group or others, or not one signer key.
 */
export function readSignerKeyFile(file: string): SignerKey {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new KeyFileError(`cannot read the key file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let text: string;
  try {
    // The checks are on the file that was opened, so it cannot be swapped in between.
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new KeyFileError(`the key file ${file} is not a regular file`);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new KeyFileError(`the key file ${file} is open to group or others (mode ${mode}); run chmod 600 ${file}`);
    }
    if (stat.size > 4096) throw new KeyFileError(`the key file ${file} is too large to be one signer key`);
    text = fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
  try {
    return parseSignerKey(text.trim());
  } catch (error) {
    if (error instanceof MalformedError) throw new KeyFileError(`the key file ${file} does not hold a signer key (PRIVATE+KEY+<name>+<id>+<key>): ${error.message}`);
    throw error;
  }
}

/** Makes a new directory entry durable (where the platform allows opening a directory). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not supported everywhere (Windows); the file itself is flushed.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
