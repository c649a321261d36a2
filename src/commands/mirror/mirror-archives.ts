import { spawn } from 'node:child_process';
import { link, mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

// One file to carry a mirror (docs/mirror.md, "Archives"): a `.tar.gz` of the export (its
// precompressed `.gz` copies left out: the archive is compressed as a whole, and verify does not
// require them), and a `.zim` for Kiwix readers, packed by `zimwriterfs` (Debian's zim-tools).

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(readonly code: 'archive_failed' | 'zimwriterfs_missing', message: string) {
    super(message);
  }
}

/** The top folder of the archive: extracting it makes `rcenter-mirror/`, which `rcenter verify` checks. */
export const ARCHIVE_FOLDER = 'rcenter-mirror';

/** Writes `file` (replacing it only once the new one is complete): the export at `version`, under ARCHIVE_FOLDER. */
export async function writeTarGz(version: string, file: string): Promise<void> {
  const work = await workDir(version, 'tar');
  const temporary = `${file}.rcenter-tmp`;
  try {
    await symlink(version, path.join(work, ARCHIVE_FOLDER));
    // -h follows the one link to the export; the .gz copies are left out.
    await run('tar', ['-czhf', temporary, '--exclude=*.gz', '--owner=0', '--group=0', '--numeric-owner', '-C', work, ARCHIVE_FOLDER]);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes a ZIM of the export at `version` with zimwriterfs (a copy of links to its files, with the 48×48 illustration ZIM requires). */
export async function writeZim(version: string, file: string, title: string): Promise<void> {
  const work = await workDir(version, 'zim');
  const temporary = `${file}.rcenter-tmp`;
  try {
    const source = path.join(work, ARCHIVE_FOLDER);
    await linkWithout(version, source, (name) => name.endsWith('.gz') || name === 'files.txt' || name === 'manifest');
    await writeFile(path.join(source, 'rcenter-illustration-48.png'), solidPng(48, 48, [0xb0, 0x1c, 0x1c]));
    await rm(temporary, { force: true });
    await run('zimwriterfs', [
      '--welcome=index.html',
      '--illustration=rcenter-illustration-48.png',
      '--language=zho,eng',
      `--title=${title.slice(0, 30)}`,
      '--description=Statements of withdrawal from the CCP and its organisations, and their count',
      '--creator=Renunciation Center',
      '--publisher=rcenter export-site',
      '--name=rcenter-mirror',
      source,
      temporary,
    ]).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ArchiveError('zimwriterfs_missing', 'zimwriterfs is not installed: install zim-tools (Debian: apt-get install zim-tools) to write a ZIM');
      }
      throw error;
    });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function workDir(version: string, kind: string): Promise<string> {
  const work = path.join(path.dirname(version), `${kind}-work`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  return work;
}

async function linkWithout(from: string, to: string, skip: (name: string) => boolean): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await linkWithout(path.join(from, entry.name), path.join(to, entry.name), skip);
    else if (entry.isFile() && !skip(entry.name)) await link(path.join(from, entry.name), path.join(to, entry.name));
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new ArchiveError('archive_failed', `${command} failed (exit code ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** A PNG of one colour (what ZIM asks for as its illustration). */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
