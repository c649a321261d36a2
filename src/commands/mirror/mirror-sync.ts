import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { noteVerifier, parseNote } from '../../tlog/index.js';
import { httpLogSource, dirLogSource, LogSourceError, type HttpSourceOptions } from '../log-source.js';
import { verifyLog } from '../log-verifier.js';
import { readVerifyState } from '../log-verify-state.js';
import { ExportTree } from './export-tree.js';
import { FILE_LIST, FileList, MANIFEST_FILE, openManifest, parseFileList, parseManifestText, type ManifestText } from './mirror-manifest.js';
import { forEachConcurrently, type CheckLine } from '../log-verify-support.js';

// `rcenter mirror sync URL DIR` (docs/mirror.md, "Sync"): a mirror host pulls an export over HTTP
// — from the center's own export or from another mirror — into DIR: the signed manifest and its
// file list, then only the files whose SHA-256 differs from what DIR holds, each checked as it
// arrives. The new copy is written beside the old one (ExportTree), verified whole as
// `rcenter verify DIR` would (the log, the count, the statements, the manifest and every file),
// against the tree head DIR's last sync verified (a source whose log does not extend it is
// refused), and only then shown at DIR.

export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(readonly code: 'sync_source_invalid' | 'sync_not_verified' | 'sync_source_behind', message: string, readonly lines: CheckLine[] = []) {
    super(message);
  }
}

export interface SyncOptions {
  /** The log's verifier key; default: the one pinned by the last sync, else the source's own (trust on first use, said so). */
  key?: string;
  http?: HttpSourceOptions;
  onProgress?(phase: string, done: number, total: number): void;
  onInfo?(message: string): void;
  /** Each verification line of the new copy. */
  onCheck?(line: CheckLine): void;
}

export interface SyncResult {
  size: number;
  /** The size DIR held before (0 for a first sync). */
  from: number;
  downloaded: number;
  kept: number;
  deleted: number;
  files: number;
}

const MAX_MANIFEST_BYTES = 64 * 1024;
const MAX_LIST_BYTES = 1024 * 1024 * 1024;

export async function syncMirror(url: string, dir: string, options: SyncOptions = {}): Promise<SyncResult> {
  const tree = new ExportTree(dir);
  const current = await tree.current();
  await tree.lock();
  try {
    return await syncLocked(url, tree, current, options);
  } finally {
    await tree.unlock();
  }
}

async function syncLocked(url: string, tree: ExportTree, current: string | undefined, options: SyncOptions): Promise<SyncResult> {
  const info = options.onInfo ?? (() => {});
  const source = httpLogSource(url, options.http);
  const stateFile = path.join(tree.store, 'sync-state.json');
  const state = await readVerifyState(stateFile).catch(() => undefined);
  const keyText = options.key ?? state?.key ?? (await servedKey(source));
  if (!options.key && !state) info(`no --key given: using the key the source serves itself (${keyText}); give --key with the key the center publishes to be sure it is the center's`);
  let verifier;
  try {
    verifier = noteVerifier(keyText);
  } catch (error) {
    throw new SyncError('sync_source_invalid', `the log key is not a verifier key: ${(error as Error).message}`);
  }

  const manifestBytes = await fetchRequired(source, MANIFEST_FILE, MAX_MANIFEST_BYTES);
  let manifest: ManifestText;
  try {
    manifest = openManifest(manifestBytes, verifier);
  } catch (error) {
    throw new SyncError('sync_source_invalid', `${url}: ${(error as Error).message}`);
  }
  const listBytes = await fetchRequired(source, FILE_LIST, MAX_LIST_BYTES);
  if (createHash('sha256').update(listBytes).digest('hex') !== manifest.listHash) throw new SyncError('sync_source_invalid', `${url}: ${FILE_LIST} is not the list its manifest signs`);
  const wanted = [...parseFileListOrFail(listBytes.toString('utf8'), url)];

  const held = current ? await heldExport(current) : undefined;
  if (held && held.manifest.origin !== manifest.origin) throw new SyncError('sync_source_invalid', `${url} mirrors the log ${manifest.origin}, but ${tree.root} holds ${held.manifest.origin}`);
  if (held && manifest.size < held.manifest.size) {
    throw new SyncError('sync_source_behind', `${url} is at ${manifest.size} log entries, behind the ${held.manifest.size} that ${tree.root} holds (an older export, or a rolled-back log): nothing changed`);
  }
  if (held && state === undefined) {
    // A copy synced before without a state (or exported here): its tree head becomes the one to extend.
    const seeded = await verifyLog(dirLogSource(current!), { key: keyText, stateFile, statements: 'none', manifest: false });
    if (!seeded.ok) throw new SyncError('sync_not_verified', `the copy ${tree.root} holds does not verify with this key itself; move it away to start afresh`, seeded.lines.filter((l) => l.ok === false));
  }
  if (held && held.manifestBytes.equals(manifestBytes)) {
    info(`${tree.root} already holds this export (${manifest.size.toLocaleString('en')} log entries, exported ${manifest.exportedAt})`);
    return { size: manifest.size, from: held.manifest.size, downloaded: 0, kept: wanted.length, deleted: 0, files: wanted.length };
  }
  info(held ? `syncing ${tree.root}: log entries ${held.manifest.size.toLocaleString('en')} → ${manifest.size.toLocaleString('en')}` : `first sync of ${tree.root} at ${manifest.size.toLocaleString('en')} log entries`);

  await tree.begin(`rcenter mirror sync v1 from ${url}`, held ? current : undefined, (n) => options.onProgress?.('linking the copy held', n, held ? held.list.size + 2 : n));
  let downloaded = 0;
  let kept = 0;
  let done = 0;
  await forEachConcurrently(wanted, 8, async ({ file, sha, size }) => {
    if (held?.list.lineOf(file) === `${sha} ${size}`) {
      kept++;
    } else {
      const bytes = await source.read(file, size).catch((error: unknown) => {
        if (error instanceof LogSourceError) throw new SyncError('sync_source_invalid', error.message);
        throw error;
      });
      if (bytes === undefined) {
        // A precompressed copy is optional (an archive leaves them out); anything else is not.
        if (!file.endsWith('.gz')) throw new SyncError('sync_source_invalid', `${url}: ${file} is listed in its manifest but not served`);
        await tree.remove(file);
      } else {
        if (bytes.length !== size || createHash('sha256').update(bytes).digest('hex') !== sha) throw new SyncError('sync_source_invalid', `${url}: ${file} is not the file its manifest lists`);
        await tree.write(file, bytes);
        downloaded++;
      }
    }
    options.onProgress?.('files', ++done, wanted.length);
  });
  const wantedFiles = new Set(wanted.map((w) => w.file));
  let deleted = 0;
  for (const file of held?.list.paths() ?? []) {
    if (!wantedFiles.has(file)) {
      await tree.remove(file);
      deleted++;
    }
  }
  await tree.write(FILE_LIST, listBytes);
  await tree.write(MANIFEST_FILE, manifestBytes);

  // The whole copy, verified before anyone sees it, against what the last sync verified.
  const verified = await verifyLog(dirLogSource(tree.partial), { key: keyText, stateFile, onCheck: options.onCheck });
  if (!verified.ok) {
    const failed = verified.lines.filter((l) => l.ok === false);
    throw new SyncError('sync_not_verified', `the copy from ${url} does not verify (${failed.map((l) => l.check).join(', ')}); ${tree.root} is unchanged`, failed);
  }
  await tree.finish(`${manifest.exportedAt.replace(/[-:]/g, '')}-${manifest.size}`);
  return { size: manifest.size, from: held?.manifest.size ?? 0, downloaded, kept, deleted, files: wanted.length };
}

async function servedKey(source: ReturnType<typeof httpLogSource>): Promise<string> {
  const bytes = await fetchRequired(source, 'log/key', 4096);
  return Buffer.from(bytes).toString('utf8').trim();
}

async function fetchRequired(source: ReturnType<typeof httpLogSource>, file: string, maxBytes: number): Promise<Buffer> {
  let bytes;
  try {
    bytes = await source.read(file, maxBytes);
  } catch (error) {
    if (error instanceof LogSourceError) throw new SyncError('sync_source_invalid', error.message);
    throw error;
  }
  if (bytes === undefined) throw new SyncError('sync_source_invalid', `${source.location}${file} is not served: not a mirror written by rcenter export-site`);
  return Buffer.from(bytes);
}

function parseFileListOrFail(text: string, url: string) {
  try {
    return [...parseFileList(text)];
  } catch (error) {
    throw new SyncError('sync_source_invalid', `${url}: ${(error as Error).message}`);
  }
}

/** The manifest and file list of the copy DIR shows (as its last sync or export wrote them). */
async function heldExport(current: string): Promise<{ manifest: ManifestText; manifestBytes: Buffer; list: FileList } | undefined> {
  try {
    const manifestBytes = await readFile(path.join(current, MANIFEST_FILE));
    const manifest = parseManifestText(parseNote(manifestBytes).text);
    const list = FileList.parse(await readFile(path.join(current, FILE_LIST), 'utf8'));
    return { manifest, manifestBytes, list };
  } catch {
    return undefined;
  }
}
