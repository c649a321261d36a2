// `rcenter mirror sync URL DIR` (issue 15, docs/mirror.md): a mirror host pulls an export over
// HTTP — only the files that changed — verifies the whole copy, and only then shows it at DIR.
// A source that serves a file other than its manifest lists, one behind the copy held (a rollback),
// and one whose manifest is signed by another key are refused, and DIR is left as it was.
import assert from 'node:assert/strict';
import { cp, lstat, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { dirLogSource } from '../../src/commands/log-source.js';
import { verifyLog } from '../../src/commands/log-verifier.js';
import { logIdentity, type LogIdentity, type LogKey } from '../../src/commands/log/log-identity.js';
import { integratePending } from '../../src/commands/log/log-sequencer.js';
import { FILE_LIST, MANIFEST_FILE, parseManifestText, signManifest } from '../../src/commands/mirror/mirror-manifest.js';
import { syncMirror, SyncError } from '../../src/commands/mirror/mirror-sync.js';
import { exportSite, type SiteRenderer } from '../../src/commands/mirror/site-exporter.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { statementFiles } from '../../src/domain/mirror-paths.js';
import { generateKey, noteSigner, parseNote } from '../../src/tlog/index.js';
import { mirrorRenderer } from '../../src/web/mirror-renderer.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { addStaff, submitPublic } from '../staff/staff-fixtures.js';
import { serveDirectory } from '../support/static-server.js';

const ORIGIN = 'sync-test.example/log';
let t: TestApp;
let key: LogKey;
let log: LogIdentity;
let renderer: SiteRenderer;
let work: string;
let center: string;
let served: { url: string; close(): Promise<void> };

before(async () => {
  const pair = generateKey(ORIGIN);
  key = { signer: pair.signerKey, verifier: pair.verifierKey };
  t = await createTestApp('sqlite', {}, { logKey: key });
  log = logIdentity(ORIGIN, key);
  await fillDemo(t.database, { people: 80, seed: 16, append: false });
  await integratePending(t.database, log);
  renderer = await mirrorRenderer(t.config, t.database, key);
  work = await mkdtemp(path.join(os.tmpdir(), 'rc-sync-'));
  center = path.join(work, 'center-export');
  await exportSite(t.database, log, renderer, { dir: center });
  served = await serveDirectory(center);
});
after(async () => {
  await served?.close();
  await renderer?.close();
  await t?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const verifies = async (dir: string) => (await verifyLog(dirLogSource(dir), { key: log.verifierKey })).ok;

test('a first sync fetches every file and verifies; a later one fetches only what changed, and deletes a retracted statement', async () => {
  const dir = path.join(work, 'mirror');
  const first = await syncMirror(served.url, dir, { key: log.verifierKey });
  assert.equal(first.from, 0);
  assert.equal(first.downloaded, first.files, 'every file');
  assert.ok(await verifies(dir));

  // One statement published and one retracted at the center, exported incrementally.
  const editor = await addStaff(t.database, 'sync-editor', 'editor');
  const one = await submitPublic(t.app, { text: 'A synthetic statement for the sync test, retracted later.' });
  const [published] = await approveSubmissions(t.database, [one.id], editor.member);
  await exportSite(t.database, log, renderer, { dir: center, since: 'auto' });
  assert.equal((await syncMirror(served.url, dir, { key: log.verifierKey })).downloaded > 0, true);
  for (const file of statementFiles(published!.registrationNumber)) assert.ok((await lstat(path.join(dir, file))).isFile());

  await retractStatement(t.database, one.receipt);
  const listBefore = new Set((await readFile(path.join(center, FILE_LIST), 'utf8')).split('\n'));
  await exportSite(t.database, log, renderer, { dir: center, since: 'auto' });
  const changed = (await readFile(path.join(center, FILE_LIST), 'utf8')).split('\n').filter((line) => line !== '' && !listBefore.has(line));
  const later = await syncMirror(served.url, dir);
  assert.equal(later.downloaded, changed.length, 'exactly the files whose hash changed');
  assert.ok(later.kept > 0 && later.kept + later.downloaded === later.files);
  assert.ok(later.deleted >= 3, 'the retracted statement’s pages');
  for (const file of statementFiles(published!.registrationNumber)) assert.equal(await lstat(path.join(dir, file)).catch(() => undefined), undefined, `${file} is gone`);
  assert.ok(await verifies(dir));

  const again = await syncMirror(served.url, dir);
  assert.equal(again.downloaded, 0, 'nothing new: nothing fetched');
});

test('a source serving a file other than its manifest lists is refused, and DIR is left as it was', async () => {
  const dir = path.join(work, 'tampered-target');
  await syncMirror(served.url, dir, { key: log.verifierKey });
  const shown = await readlink(dir);
  const copy = path.join(work, 'tampered-source');
  // A newer export, with one page changed on its way: fetched, found changed, refused.
  const editor = await addStaff(t.database, 'sync-editor-2', 'editor');
  const two = await submitPublic(t.app, { text: 'A synthetic statement that makes a newer export.' });
  await approveSubmissions(t.database, [two.id], editor.member);
  await exportSite(t.database, log, renderer, { dir: center, since: 'auto' });
  await cp(center, copy, { recursive: true, dereference: true });
  await writeFile(path.join(copy, 'en/index.html'), '<!DOCTYPE html><p>Another home page</p>');
  const forged2 = await serveDirectory(copy);
  try {
    const error = await syncMirror(forged2.url, dir, { key: log.verifierKey }).catch((e: unknown) => e);
    assert.ok(error instanceof SyncError, String(error));
    assert.equal(error.code, 'sync_source_invalid');
    assert.match(error.message, /en\/index\.html is not the file its manifest lists/);
  } finally {
    await forged2.close();
  }
  assert.equal(await readlink(dir), shown, 'DIR still shows the copy it had');
  assert.ok(await verifies(dir));
});

test('a source behind the copy held (an older export, a rollback) is refused', async () => {
  const old = path.join(work, 'old-export');
  await cp(center, old, { recursive: true, dereference: true });
  const dir = path.join(work, 'ahead');
  const editor = await addStaff(t.database, 'sync-editor-3', 'editor');
  const three = await submitPublic(t.app, { text: 'A synthetic statement that puts the center ahead of the old copy.' });
  await approveSubmissions(t.database, [three.id], editor.member);
  await exportSite(t.database, log, renderer, { dir: center, since: 'auto' });
  await syncMirror(served.url, dir, { key: log.verifierKey });
  const stale = await serveDirectory(old);
  try {
    const error = await syncMirror(stale.url, dir).catch((e: unknown) => e);
    assert.ok(error instanceof SyncError, String(error));
    assert.equal(error.code, 'sync_source_behind');
  } finally {
    await stale.close();
  }
});

test('a manifest signed by another key than the one pinned is refused', async () => {
  const dir = path.join(work, 'pinned');
  await syncMirror(served.url, dir, { key: log.verifierKey });
  const copy = path.join(work, 'resigned-source');
  await cp(center, copy, { recursive: true, dereference: true });
  const manifest = parseManifestText(parseNote(await readFile(path.join(copy, MANIFEST_FILE))).text);
  const list = await readFile(path.join(copy, FILE_LIST), 'utf8');
  await writeFile(path.join(copy, MANIFEST_FILE), signManifest({ ...manifest, exportedAt: '2030-01-01T00:00:00Z' }, list, noteSigner(generateKey(ORIGIN).signerKey)));
  const forged = await serveDirectory(copy);
  try {
    // No --key: the key the last sync pinned is used, not the one the source serves.
    const error = await syncMirror(forged.url, dir).catch((e: unknown) => e);
    assert.ok(error instanceof SyncError, String(error));
    assert.equal(error.code, 'sync_source_invalid');
    assert.match(error.message, /not signed by the log's key/);
  } finally {
    await forged.close();
  }
});
