// `rcenter export-site DIR` as an operator runs it, on SQLite: a full export of a demo center that
// `rcenter verify DIR` accepts, DIR a link into .DIR.exports/ beside it, then `--since auto` (an
// incremental export, verified again); its help, a bad --since, and a DIR that is not its own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliResult } from './support/server-process.js';

const show = (r: CliResult) => `exit ${r.code} signal ${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** Every file under `dir`, as mirror paths (`a/b.html`), sorted. */
function filesUnder(dir: string, relative = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(dir, child));
    else out.push(child);
  }
  return out.sort();
}

/** The summary line export-site prints: `rcenter: <how> of checkpoint N in DIR: F files, W written, D deleted, in S s`. */
function summary(stdout: string, how: RegExp) {
  const match = new RegExp(`^rcenter: (${how.source}) of checkpoint (\\d[\\d,]*) in (.+): (\\d[\\d,]*) files, (\\d[\\d,]*) written, (\\d[\\d,]*) deleted, in \\d+\\.\\d s$`, 'm').exec(stdout);
  assert.ok(match, `no summary line matching ${how} in:\n${stdout}`);
  const n = (s: string) => Number(s.replaceAll(',', ''));
  return { how: match[1]!, size: n(match[2]!), dir: match[3]!, files: n(match[4]!), written: n(match[5]!), deleted: n(match[6]!) };
}

/** Checks what `rcenter verify DIR` printed for a mirror of `size` entries with `files` files. */
function assertVerified(r: CliResult, size: number, files: number): void {
  assert.equal(r.code, 0, show(r));
  assert.doesNotMatch(r.stdout, /^FAIL /m, show(r));
  assert.match(r.stdout, new RegExp(`^PASS mirror manifest: signed by the log's key, of the checkpoint the mirror serves \\(${size} entries\\)`, 'm'));
  assert.match(r.stdout, new RegExp(`^PASS mirror files: all ${files.toLocaleString('en')} files of the manifest are there`, 'm'));
  assert.match(r.stdout, /^PASS mirror statements: /m);
  assert.match(r.stdout, /^PASS mirror counts: /m);
  assert.match(r.stdout, new RegExp(`^VERIFIED: no check failed \\(${size} entries\\)$`, 'm'));
}

/** Where DIR's link points, resolved. */
function linkTarget(dir: string): string {
  return path.resolve(path.dirname(dir), fs.readlinkSync(dir));
}

describe('rcenter export-site --help and --since', () => {
  it('describes the command and --since, and refuses a --since other than auto before touching anything', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-export-args-'));
    try {
      const [help, bad] = await Promise.all([
        runCli(['export-site', '--help']),
        runCli(['export-site', path.join(dataDir, 'site'), '--since', 'yesterday'], { DATA_DIR: dataDir }),
      ]);
      assert.equal(help.code, 0, show(help));
      assert.match(help.stdout, /^Usage: rcenter export-site \[options\] <dir>/m);
      assert.match(help.stdout, /--since <auto>/);
      assert.match(help.stdout, /rcenter verify DIR/);

      assert.notEqual(bad.code, 0, show(bad));
      assert.match(bad.stderr, /--since <auto>.*'yesterday' is invalid/, show(bad));
      assert.match(bad.stderr, /only "auto"/, show(bad));
      assert.equal(bad.stdout, '');
      assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing written: no database, no key, no export');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('sqlite: rcenter export-site', () => {
  let root: string;
  let env: Record<string, string | undefined>;
  /** Entries of the demo's log (one a statement). */
  let entries: number;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-export-site-'));
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir);
    env = { DATA_DIR: dataDir, DATABASE_URL: undefined };
    const demo = await runCli(['demo', '--people', '60'], env, 60_000);
    assert.equal(demo.code, 0, show(demo));
    const integrated = /transparency log \S+ integrated: (\d+) entries/.exec(demo.stdout);
    assert.ok(integrated, show(demo));
    entries = Number(integrated[1]);
    assert.match(demo.stdout, new RegExp(`published 60 synthetic persons in ${entries} statements`));
  });
  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes a full export that verify accepts, then an incremental one that it accepts too', async () => {
    const dir = path.join(root, 'site');
    const store = path.join(root, '.site.exports');

    // Full export.
    const full = await runCli(['export-site', dir], env, 120_000);
    assert.equal(full.code, 0, show(full));
    const first = summary(full.stdout, /full export/);
    assert.equal(first.size, entries);
    assert.equal(first.dir, dir);
    assert.equal(first.written, first.files);
    assert.equal(first.deleted, 0);
    assert.match(full.stderr, new RegExp(`full export of \\d+ days with statements, at ${entries} log entries`));

    // DIR is a link to one export in .site.exports/, and files.txt lists every file of it.
    assert.ok(fs.lstatSync(dir).isSymbolicLink(), 'DIR is a symbolic link');
    const firstExport = linkTarget(dir);
    assert.equal(path.dirname(firstExport), store);
    assert.deepEqual(fs.readdirSync(store), [path.basename(firstExport)]);
    const files = filesUnder(dir);
    const listed = fs.readFileSync(path.join(dir, 'mirror', 'files.txt'), 'utf8').trimEnd().split('\n').map((line) => line.split(' ')[2]!);
    assert.equal(listed.length, first.files);
    assert.deepEqual([...listed, 'mirror/files.txt', 'mirror/manifest'].sort(), files);
    for (const file of ['index.html', 'en/index.html', 'zh-hans/stats.html', 'zh-hant/statements.html', 'en/s/1.html', `zh-hant/s/${entries}.html`, 'api/v1/stats.json', 'log/checkpoint', 'log/key', 'assets/app.css']) {
      assert.ok(files.includes(file), `${file} is in the export`);
    }
    assert.ok(!files.includes(`en/s/${entries + 1}.html`));

    // Every link of its pages and feeds names a file of the mirror, relative to the page.
    const broken: string[] = [];
    for (const file of files.filter((f) => /\.(?:html|atom)$/.test(f))) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const [link, value = ''] of text.matchAll(/\b(?:href|src|action)="([^"]*)"/g)) {
        if (value === '' || value.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) continue;
        const target = path.posix.join(path.posix.dirname(file), value.split('#', 1)[0]!);
        if (value.startsWith('/') || !files.includes(target)) broken.push(`${file}: ${link}`);
      }
    }
    assert.deepEqual(broken.slice(0, 20), [], `${broken.length} links that are root-relative or name no file of the mirror`);

    const verified = await runCli(['verify', dir], {}, 120_000);
    assertVerified(verified, entries, first.files);

    // Incremental: nothing was published since, so the same files, most of them not rewritten.
    const incremental = await runCli(['export-site', dir, '--since', 'auto'], env, 120_000);
    assert.equal(incremental.code, 0, show(incremental));
    assert.match(incremental.stdout, /incremental/);
    const second = summary(incremental.stdout, /incremental export since \d[\d,]* entries/);
    assert.equal(second.how, `incremental export since ${entries} entries`);
    assert.equal(second.size, entries);
    assert.equal(second.dir, dir);
    assert.equal(second.files, first.files);
    assert.equal(second.deleted, 0);
    assert.ok(second.written > 0 && second.written < second.files, `${second.written} of ${second.files} files rewritten`);

    // DIR now links to a new export; the one before is kept, unchanged, and shares the files that
    // were not rewritten (hard links), such as a statement's page.
    assert.ok(fs.lstatSync(dir).isSymbolicLink());
    const secondExport = linkTarget(dir);
    assert.equal(path.dirname(secondExport), store);
    assert.notEqual(secondExport, firstExport);
    assert.deepEqual(fs.readdirSync(store).sort(), [path.basename(firstExport), path.basename(secondExport)].sort());
    assert.deepEqual(filesUnder(dir), files);
    assert.equal(fs.statSync(path.join(secondExport, 'en', 's', '1.html')).ino, fs.statSync(path.join(firstExport, 'en', 's', '1.html')).ino);
    assert.notEqual(fs.statSync(path.join(secondExport, 'mirror', 'manifest')).ino, fs.statSync(path.join(firstExport, 'mirror', 'manifest')).ino);

    const again = await runCli(['verify', dir], {}, 120_000);
    assertVerified(again, entries, second.files);
  });

  it('refuses a DIR that is a directory with files in it, and touches none of them', async () => {
    const dir = path.join(root, 'not-ours');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'an operator file\n');
    const r = await runCli(['export-site', dir], env, 60_000);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /mirror_dir_not_ours/);
    assert.match(r.stderr, /is not an export made by rcenter export-site/);
    assert.equal(r.stdout, '');
    assert.ok(fs.lstatSync(dir).isDirectory());
    assert.deepEqual(fs.readdirSync(dir), ['keep.txt']);
    assert.equal(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'an operator file\n');
    assert.ok(!fs.existsSync(path.join(root, '.not-ours.exports')), 'no store made beside it');
  });
});
