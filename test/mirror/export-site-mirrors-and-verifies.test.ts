// `rcenter export-site` and `rcenter verify DIR` (issue 15, docs/mirror.md), on both databases:
// a full export of the demo verifies and its links all lead to files; an incremental one after a
// publication and a retraction rewrites what changed and deletes the retracted statement's pages
// (promise 6); an interrupted export leaves the previous one in place and resumes; and each attack
// on a mirror named in the issue fails verification, named.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { dirLogSource, httpLogSource } from '../../src/commands/log-source.js';
import { verifyLog, type VerifyOptions } from '../../src/commands/log-verifier.js';
import { logIdentity, type LogIdentity, type LogKey } from '../../src/commands/log/log-identity.js';
import { integratePending } from '../../src/commands/log/log-sequencer.js';
import { ARCHIVE_FOLDER, writeTarGz, writeZim } from '../../src/commands/mirror/mirror-archives.js';
import { FILE_LIST, MANIFEST_FILE, parseManifestText, signManifest } from '../../src/commands/mirror/mirror-manifest.js';
import { exportSite, type SiteRenderer } from '../../src/commands/mirror/site-exporter.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { statementFiles } from '../../src/domain/mirror-paths.js';
import { generateKey, noteSigner, parseNote } from '../../src/tlog/index.js';
import { mirrorRenderer } from '../../src/web/mirror-renderer.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { serveDirectory } from '../support/static-server.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';

const ORIGIN = 'mirror-test.example/log';
const execFileAsync = promisify(execFile);

describeEachDialect('export-site writes a mirror that rcenter verify proves', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let key: LogKey;
  let log: LogIdentity;
  let renderer: SiteRenderer;
  let work: string;
  let dir: string;
  let retracted: number;
  let added: number;
  let firstExport: string;
  let receipt: string;

  const verify = (at: string, options: VerifyOptions = {}) => verifyLog(dirLogSource(at), { key: log.verifierKey, ...options });
  const failed = (result: Awaited<ReturnType<typeof verify>>) => result.lines.filter((l) => l.ok === false).map((l) => l.check);
  const notesOf = (result: Awaited<ReturnType<typeof verify>>, check: string) => result.lines.find((l) => l.check === check)?.notes ?? [];

  before(async () => {
    const pair = generateKey(ORIGIN);
    key = { signer: pair.signerKey, verifier: pair.verifierKey };
    t = await createTestApp(dialect, {}, { logKey: key });
    log = logIdentity(ORIGIN, key);
    editor = await addStaff(t.database, 'mirror-editor', 'editor');
    await fillDemo(t.database, { people: 150, seed: 15, append: false });
    // A statement published and retracted through the app, so that it has a receipt to retract with later.
    const submitted = await submitPublic(t.app, { text: 'A synthetic statement that will be retracted after the first export.' });
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    retracted = published!.registrationNumber;
    receipt = submitted.receipt;
    await integratePending(t.database, log);
    renderer = await mirrorRenderer(t.config, t.database, key);
    work = await mkdtemp(path.join(os.tmpdir(), 'rc-mirror-'));
    dir = path.join(work, 'mirror');
  });
  after(async () => {
    await renderer?.close();
    await t?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('a full export verifies, every page says its checkpoint, and every link leads to a file of the mirror', async () => {
    const result = await exportSite(t.database, log, renderer, { dir });
    assert.equal(result.mode, 'full');
    const link = await lstat(dir);
    assert.ok(link.isSymbolicLink(), 'DIR is a link to the finished export');
    // Kept aside: later exports remove all but the current one and the one before.
    firstExport = path.join(work, 'first-export');
    await cp(path.resolve(work, await readlink(dir)), firstExport, { recursive: true });
    const verified = await verify(dir);
    assert.deepEqual(failed(verified), [], verified.lines.map((l) => `${l.ok} ${l.check}: ${l.detail} ${(l.notes ?? []).join('; ')}`).join('\n'));
    assert.ok(verified.lines.some((l) => l.check === 'mirror statements' && l.ok === true));

    for (const file of statementFiles(retracted)) assert.ok((await readFile(path.join(dir, file), 'utf8')).includes('retracted after the first export'), file);
    // A list has the pages it has on the service, no more (a day's link to the next day is not a next page).
    const dayPages = (await listFiles(dir)).filter((f) => /\/statements\/\d{4}-\d{2}-\d{2}\.page-\d+\.html$/.test(f));
    assert.deepEqual(dayPages, [], 'no day of this demo has more than one page of statements');
    const submit = await readFile(path.join(dir, 'en/submit.html'), 'utf8');
    assert.doesNotMatch(submit, /<form/, 'a mirror cannot take a statement');
    assert.match(submit, /cannot be submitted here/);

    // Links: relative, each to a file that exists (so the copy works from file:// and under any prefix).
    const broken: string[] = [];
    for (const file of (await listFiles(dir)).filter((f) => f.endsWith('.html'))) {
      const html = await readFile(path.join(dir, file), 'utf8');
      for (const [, target] of html.matchAll(/\b(?:href|src)="([^"#]*)(?:#[^"]*)?"/g)) {
        if (target === '' || /^[a-z]+:/.test(target!)) continue;
        assert.ok(!target!.startsWith('/'), `${file}: a root-relative link ${target} remains`);
        const resolved = path.join(path.dirname(path.join(dir, file)), target!);
        if (!(await lstat(resolved).catch(() => undefined))?.isFile()) broken.push(`${file} → ${target}`);
      }
    }
    assert.deepEqual(broken.slice(0, 10), []);
  });

  test('an incremental export writes the new statement, deletes the retracted one’s pages, and verifies', async () => {
    const submitted = await submitPublic(t.app, { text: 'A synthetic statement published after the first export.' });
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    added = published!.registrationNumber;
    await retractStatement(t.database, receipt);
    const result = await exportSite(t.database, log, renderer, { dir, since: 'auto' });
    assert.equal(result.mode, 'incremental');
    assert.ok(result.deleted >= 3, `the retracted statement's three pages at least (${result.deleted})`);
    for (const file of statementFiles(retracted)) assert.equal(await lstat(path.join(dir, file)).catch(() => undefined), undefined, `${file} is gone`);
    for (const file of statementFiles(added)) assert.match(await readFile(path.join(dir, file), 'utf8'), /published after the first export/);
    const list = await readFile(path.join(dir, FILE_LIST), 'utf8');
    assert.ok(!list.includes(`/s/${retracted}.html`), 'nor listed');
    const verified = await verify(dir);
    assert.deepEqual(failed(verified), [], verified.lines.map((l) => `${l.check}: ${l.detail} ${(l.notes ?? []).join('; ')}`).join('\n'));
    // The export before is kept beside it, untouched (a reader who was reading it finishes).
    const shown = path.basename(await readlink(dir));
    const [previous] = (await readdir(path.join(work, '.mirror.exports'))).filter((name) => name !== shown && /^\d{8}T\d{6}Z-\d+/.test(name));
    assert.ok(previous, 'the export before is kept');
    assert.match(await readFile(path.join(work, '.mirror.exports', previous!, statementFiles(retracted)[0]!), 'utf8'), /retracted after the first export/);
  });

  test('an interrupted export leaves the previous one in place, and the next run resumes it', async () => {
    const before = await readlink(dir);
    const failingAfter = (n: number): SiteRenderer => {
      let calls = 0;
      return {
        ...renderer,
        get: async (address) => {
          if (++calls > n) throw new Error('interrupted (test)');
          return renderer.get(address);
        },
      };
    };
    // An incremental run cut short: DIR still shows the export before, which still verifies.
    await assert.rejects(exportSite(t.database, log, failingAfter(5), { dir, since: 'auto' }), /interrupted/);
    assert.equal(await readlink(dir), before, 'DIR still shows the previous export');
    assert.deepEqual(failed(await verify(dir)), []);
    // A full run cut short after some days, then run again: it goes on from its journal.
    const other = path.join(work, 'second');
    await assert.rejects(exportSite(t.database, log, failingAfter(60), { dir: other }), /interrupted/);
    assert.equal(await lstat(other).catch(() => undefined), undefined, 'nothing at the new DIR yet');
    // A page written after the journal's last line (the interruption came between them) is not kept.
    const stray = path.join(work, '.second.exports', 'partial', 'en', 's', '999999.html');
    await mkdir(path.dirname(stray), { recursive: true });
    await writeFile(stray, '<!DOCTYPE html><p>written, never journaled</p>');
    const resumed = await exportSite(t.database, log, renderer, { dir: other });
    assert.equal(await lstat(path.join(other, 'en/s/999999.html')).catch(() => undefined), undefined);
    assert.equal(resumed.resumed, true);
    assert.deepEqual(failed(await verify(other)), []);
  });

  test('two exports of one DIR at once: one runs, the other is refused', async () => {
    const runs = await Promise.allSettled([exportSite(t.database, log, renderer, { dir, since: 'auto' }), exportSite(t.database, log, renderer, { dir, since: 'auto' })]);
    const refused = runs.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 1, JSON.stringify(runs.map((r) => r.status)));
    assert.equal(((refused[0] as PromiseRejectedResult).reason as { code?: string }).code, 'export_running');
    assert.deepEqual(failed(await verify(dir)), []);
  });

  if (dialect === 'sqlite') {
    test('the .tar.gz of an export, extracted, verifies (without the .gz copies)', async () => {
      const archive = path.join(work, 'mirror.tar.gz');
      await writeTarGz(path.resolve(work, await readlink(dir)), archive);
      const out = path.join(work, 'extracted');
      await mkdir(out);
      await execFileAsync('tar', ['-xzf', archive, '-C', out]);
      const extracted = path.join(out, ARCHIVE_FOLDER);
      assert.equal((await listFiles(extracted)).filter((f) => f.endsWith('.gz')).length, 0);
      assert.deepEqual(failed(await verify(extracted)), []);
    });

    test('a mirror served over HTTP verifies as one, and a page changed on it fails', async () => {
      const server = await serveDirectory(dir, '/mirror/');
      try {
        const result = await verifyLog(httpLogSource(server.url), { key: log.verifierKey });
        assert.deepEqual(failed(result), []);
        assert.match(result.lines.find((l) => l.check === 'mirror files')!.detail, /over HTTP, files outside the manifest cannot be seen/);
      } finally {
        await server.close();
      }
      const copy = path.join(work, 'served-attack');
      await cp(dir, copy, { recursive: true, dereference: true });
      await appendFile(path.join(copy, 'zh-hans/stats.html'), '<p>edited</p>');
      const forged = await serveDirectory(copy);
      try {
        const result = await verifyLog(httpLogSource(forged.url), { key: log.verifierKey });
        assert.deepEqual(failed(result), ['mirror files']);
        assert.deepEqual(notesOf(result, 'mirror files'), ['zh-hans/stats.html: not the file the manifest lists (changed)']);
      } finally {
        await forged.close();
      }
    });

    test('the ZIM of an export passes zimcheck', { skip: process.env.RC_ZIM_TOOLS === '1' ? false : 'zim-tools not installed (apt-get install zim-tools)' }, async () => {
      const zim = path.join(work, 'mirror.zim');
      await writeZim(path.resolve(work, await readlink(dir)), zim, 'Renunciation Center');
      const { stdout } = await execFileAsync('zimcheck', ['-A', zim]);
      assert.match(stdout, /Overall Test Status: Pass/);
    });
  }

  const attack = async (name: string, edit: (copy: string) => Promise<void>) => {
    const copy = path.join(work, `attack-${name}`);
    await cp(dir, copy, { recursive: true, dereference: true });
    await edit(copy);
    return verify(copy);
  };

  test('a statement’s text changed in one locale fails', async () => {
    const file = statementFiles(added)[1]!;
    const result = await attack('text', async (copy) => {
      const html = await readFile(path.join(copy, file), 'utf8');
      await writeFile(path.join(copy, file), html.replace('<div class="text"', '<div class="text"><p>A sentence the declarant never wrote.</p></div><div class="x"'));
    });
    assert.deepEqual(failed(result), ['mirror files', 'mirror statements']);
    assert.deepEqual(notesOf(result, 'mirror files'), [`${file}: not the file the manifest lists (changed)`]);
    assert.deepEqual(notesOf(result, 'mirror statements'), [`${file}: the text differs from the statement the log commits to`]);
  });

  test('a page deleted fails', async () => {
    const file = statementFiles(added)[2]!;
    const result = await attack('deleted', (copy) => rm(path.join(copy, file)));
    assert.deepEqual(failed(result), ['mirror files', 'mirror statements']);
    assert.deepEqual(notesOf(result, 'mirror files'), [`${file}: listed in the manifest, but missing`]);
    assert.deepEqual(notesOf(result, 'mirror statements'), [`${file}: statement ${added} is published in the log, but its page is missing`]);
  });

  test('a retracted statement kept fails', async () => {
    const file = statementFiles(retracted)[0]!;
    const result = await attack('retracted', (copy) => cp(path.join(firstExport, file), path.join(copy, file)));
    assert.deepEqual(failed(result), ['mirror files', 'mirror statements']);
    assert.deepEqual(notesOf(result, 'mirror files'), [`${file}: not in the manifest`]);
    assert.deepEqual(notesOf(result, 'mirror statements'), [`${file}: a page of statement ${retracted}, which the log retracted`]);
  });

  test('a count edited on the home page only fails', async () => {
    const result = await attack('count', async (copy) => {
      const file = path.join(copy, 'en/index.html');
      const html = await readFile(file, 'utf8');
      const edited = html.replace(/(id="count-total"[^>]*><strong>)([\d,]+)/, (_, head: string) => `${head}9,999,999`);
      assert.notEqual(edited, html);
      await writeFile(file, edited);
    });
    assert.deepEqual(failed(result), ['mirror files', 'mirror counts']);
    assert.match(notesOf(result, 'mirror counts')[0]!, /^en\/index\.html: shows 9999999, the log counts \d+$/);
  });

  test('a manifest re-signed with another key fails', async () => {
    const result = await attack('resigned', async (copy) => {
      // The forger edits a page, lists it again and signs the manifest with a key of their own.
      const file = 'en/index.html';
      await appendFile(path.join(copy, file), '<!-- edited -->');
      const bytes = await readFile(path.join(copy, file));
      const { createHash } = await import('node:crypto');
      const list = (await readFile(path.join(copy, FILE_LIST), 'utf8')).replace(new RegExp(`^[0-9a-f]{64} \\d+ ${file}$`, 'm'), `${createHash('sha256').update(bytes).digest('hex')} ${bytes.length} ${file}`);
      await writeFile(path.join(copy, FILE_LIST), list);
      const old = parseManifestText(parseNote(await readFile(path.join(copy, MANIFEST_FILE))).text);
      const forger = noteSigner(generateKey(ORIGIN).signerKey);
      await writeFile(path.join(copy, MANIFEST_FILE), signManifest(old, list, forger));
    });
    assert.deepEqual(failed(result), ['mirror manifest']);
    assert.match(result.lines.find((l) => l.check === 'mirror manifest')!.detail, /not signed by the log's key/);
  });

  test('a precompressed copy that differs from its page fails', async () => {
    const file = 'en/statements.html';
    const result = await attack('gzip', async (copy) => {
      const { gzipSync } = await import('node:zlib');
      await writeFile(path.join(copy, `${file}.gz`), gzipSync(Buffer.from('<!DOCTYPE html><p>Another page for gzip readers</p>')));
    });
    assert.deepEqual(failed(result), ['mirror files']);
    assert.deepEqual(notesOf(result, 'mirror files'), [`${file}.gz: not the file the manifest lists (changed)`]);
  });

  test('an export run with another log or key (a wrong DATA_DIR) is refused and DIR is left as it was', async () => {
    const shown = await readlink(dir);
    const pair = generateKey(ORIGIN);
    const stranger = logIdentity(ORIGIN, { signer: pair.signerKey, verifier: pair.verifierKey });
    for (const since of ['auto', undefined] as const) {
      await assert.rejects(exportSite(t.database, stranger, renderer, { dir, since }), (error: { code?: string }) => error.code === 'mirror_of_another_log');
    }
    assert.equal(await readlink(dir), shown);
  });

  test('a mirror rolled back to an older export fails against --state', async () => {
    const state = path.join(work, 'verify-state.json');
    const now = await verify(dir, { stateFile: state });
    assert.deepEqual(failed(now), []);
    const older = await verify(firstExport, { stateFile: state });
    assert.deepEqual(failed(older), ['history']);
    assert.match(older.lines.find((l) => l.check === 'history')!.detail, /rolled back/);
  });

  test('an incremental export without .gz copies or search index removes those of what it rewrites, and the index', async () => {
    await exportSite(t.database, log, renderer, { dir, since: 'auto', gzip: false, search: false });
    const files = await listFiles(dir);
    // Home and the lists are rewritten by every export: their old compressed copies must not outlive them.
    for (const file of ['en/index.html.gz', 'zh-hant/statements.html.gz', 'api/v1/stats.json.gz']) assert.ok(!files.includes(file), file);
    assert.deepEqual(files.filter((f) => f.startsWith('pagefind/')), []);
    assert.deepEqual(failed(await verify(dir)), [], 'every .gz left is of a file not rewritten, and decompresses to it');
  });
});

async function listFiles(root: string, relative = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, child)));
    else out.push(child);
  }
  return out;
}
