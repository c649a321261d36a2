// The `rcenter` command as operators and scripts run it (`node bin/rcenter.js …`): every command
// has help; migrate, keygen and decrypt do what they say and exit 0 only on success; bad
// settings are refused with a message that names each problem.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import * as age from 'age-encryption';
import pg from 'pg';
import { generateKeyPair } from '../src/crypto/contact-sealer.js';
import { SQLITE_FILE_NAME } from '../src/storage/database.js';
import { createTestApp, postJson, validSubmission, type TestApp } from './support/app.js';
import { describeEachDialect, postgresSkip } from './support/databases.js';
import { runCli, type CliResult } from './support/server-process.js';

const COMMANDS = ['serve', 'migrate', 'keygen', 'decrypt', 'log', 'witness'] as const;
const RECIPIENT_LINE = /^age1[02-9ac-hj-np-z]{58}\n$/;

const show = (r: CliResult) => `exit ${r.code} signal ${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

let scratch: string;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-cli-'));
});
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});
const tempPath = (name: string) => path.join(scratch, `${randomBytes(4).toString('hex')}-${name}`);

describe('rcenter --help', { concurrency: true }, () => {
  it('lists every command and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0, show(r));
    for (const command of COMMANDS) assert.match(r.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), `--help does not list ${command}`);
  });

  for (const command of COMMANDS) {
    it(`rcenter ${command} --help describes the command and exits 0`, async () => {
      const r = await runCli([command, '--help']);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, new RegExp(`^Usage: rcenter ${command}\\b`, 'm'));
      assert.match(r.stdout, /--help/);
    });
  }

  it('an unknown command exits non-zero and says so', async () => {
    const r = await runCli(['no-such-command']);
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /unknown command/i);
  });
});

describe('rcenter migrate (SQLite)', () => {
  it('creates the database file in an empty DATA_DIR, says what it applied, then that it is up to date', async () => {
    const dataDir = path.join(tempPath('data'), 'not-yet-there');
    const first = await runCli(['migrate'], { DATA_DIR: dataDir });
    assert.equal(first.code, 0, show(first));
    assert.match(first.stdout, /applied .*2026-11-27-intake/);
    const file = path.join(dataDir, SQLITE_FILE_NAME);
    assert.ok(fs.statSync(file).isFile(), `${file} was not created`);
    // Only the operator may read what declarants sent.
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the database file is readable by others');
    assert.equal(fs.statSync(dataDir).mode & 0o077, 0, 'the data directory is open to others');

    const second = await runCli(['migrate'], { DATA_DIR: dataDir });
    assert.equal(second.code, 0, show(second));
    assert.match(second.stdout, /up to date/);
    assert.doesNotMatch(second.stdout, /applied/);
  });
});

describe('rcenter migrate (PostgreSQL)', { skip: postgresSkip }, () => {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `rc_cli_${randomBytes(6).toString('hex')}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  before(() => admin(`create database ${name}`));
  after(() => admin(`drop database if exists ${name} with (force)`));

  it('applies the migrations to an empty database, then says it is up to date', async () => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const env = { DATA_DIR: tempPath('unused'), DATABASE_URL: url.toString() };
    const first = await runCli(['migrate'], env);
    assert.equal(first.code, 0, show(first));
    assert.match(first.stdout, /applied .*2026-11-27-intake/);
    const second = await runCli(['migrate'], env);
    assert.equal(second.code, 0, show(second));
    assert.match(second.stdout, /up to date/);
  });
});

describe('rcenter keygen --out FILE', { concurrency: true }, () => {
  it('writes an identity readable only by its owner and prints its recipient', async () => {
    const out = tempPath('identity.txt');
    const r = await runCli(['keygen', '--out', out]);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, RECIPIENT_LINE, 'stdout is not exactly one age recipient');
    assert.equal(fs.statSync(out).mode & 0o777, 0o600);
    const contents = fs.readFileSync(out, 'utf8');
    const identities = contents.split('\n').filter((l) => l.startsWith('AGE-SECRET-KEY-1'));
    assert.equal(identities.length, 1, contents);
    assert.equal(await age.identityToRecipient(identities[0]!), r.stdout.trim(), 'the printed recipient is not the identity\'s');
    assert.ok(!r.stdout.includes('AGE-SECRET-KEY') && !r.stderr.includes('AGE-SECRET-KEY'), 'the secret was printed');
  });

  it('refuses to overwrite an existing file: non-zero exit, file unchanged', async () => {
    const out = tempPath('identity.txt');
    const first = await runCli(['keygen', '--out', out]);
    assert.equal(first.code, 0, show(first));
    const before = fs.readFileSync(out);
    const again = await runCli(['keygen', '--out', out]);
    assert.notEqual(again.code, 0, show(again));
    assert.match(again.stderr, /exist/i, 'the refusal does not say why');
    assert.equal(again.stdout, '', 'a recipient was printed for an identity that was not written');
    assert.deepEqual(fs.readFileSync(out), before, 'the existing identity was changed');
  });

  it('requires --out', async () => {
    const r = await runCli(['keygen']);
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /--out/);
  });
});

describeEachDialect('rcenter decrypt --identity FILE', (dialect) => {
  let t: TestApp;
  let identityFile: string;
  let strangerFile: string;
  let env: Record<string, string | undefined>;
  const sent: { id: string; contact: string | null }[] = [];
  const CONTACTS = ['signal: +00 0000 cli-probe-1', 'letter: 信箱 12, "quoted"\nsecond line'];

  before(async () => {
    // Identity files as `rcenter keygen` writes them (tested above), made here to save two process starts.
    const writeIdentity = async (name: string) => {
      const { identity, recipient } = await generateKeyPair();
      const file = tempPath(name);
      fs.writeFileSync(file, `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`, { mode: 0o600 });
      return { file, recipient };
    };
    const key = await writeIdentity('identity.txt');
    identityFile = key.file;
    strangerFile = (await writeIdentity('stranger.txt')).file;
    t = await createTestApp(dialect, { ageRecipients: [key.recipient] });
    for (const contact of [CONTACTS[0]!, null, CONTACTS[1]!]) {
      const response = await postJson(t.app, '/api/v1/submissions', validSubmission(contact === null ? {} : { contact }));
      assert.equal(response.statusCode, 201, response.body);
      sent.push({ id: (response.json() as { id: string }).id, contact });
    }
    env = { DATA_DIR: t.dataDir, DATABASE_URL: t.databaseUrl };
  });
  after(async () => {
    await t?.close();
  });

  // Each command reads and nothing writes: they can run side by side.
  describe('(commands)', { concurrency: true }, () => {
    const parseLines = (stdout: string) =>
      new Map(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [id, json] = line.split('\t');
            return [id!, JSON.parse(json!) as string];
          }),
      );

    it('prints each submission id with its contact plaintext, and exits 0', async () => {
      const r = await runCli(['decrypt', '--identity', identityFile], env);
      assert.equal(r.code, 0, show(r));
      const withContact = sent.filter((s) => s.contact !== null);
      assert.deepEqual(parseLines(r.stdout), new Map(withContact.map((s) => [s.id, s.contact!])));
      assert.match(r.stderr, /2 of 2 decrypted/);
    });

    it('--submission ID prints only that one', async () => {
      const chosen = sent[2]!;
      const r = await runCli(['decrypt', '--identity', identityFile, '--submission', chosen.id], env);
      assert.equal(r.code, 0, show(r));
      assert.deepEqual(parseLines(r.stdout), new Map([[chosen.id, chosen.contact!]]));
    });

    it('with the wrong identity prints no plaintext and exits non-zero', async () => {
      const r = await runCli(['decrypt', '--identity', strangerFile], env);
      assert.notEqual(r.code, 0, show(r));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /cannot decrypt/);
      assert.ok(!r.stderr.includes('cli-probe-1'));
    });

    it('with a file that holds no identity, or no file, exits non-zero with a message', async () => {
      const empty = tempPath('empty.txt');
      fs.writeFileSync(empty, '# nothing here\n');
      const r = await runCli(['decrypt', '--identity', empty], env);
      assert.notEqual(r.code, 0, show(r));
      assert.match(r.stderr, /no age identity/);
      const missing = await runCli(['decrypt', '--identity', tempPath('missing.txt')], env);
      assert.notEqual(missing.code, 0, show(missing));
      assert.match(missing.stderr, /ENOENT|no such file/i);
    });
  });
});

describe('bad configuration', { concurrency: true }, () => {
  it('PORT=abc: serve refuses to start, names the setting and the value, exits non-zero', async () => {
    const r = await runCli(['serve'], { DATA_DIR: tempPath('data'), PORT: 'abc' }, 15_000);
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /PORT must be a whole number/);
    assert.match(r.stderr, /"abc"/);
    assert.doesNotMatch(r.stdout, /serving on/);
  });

  it('every bad setting is listed at once, not just the first', async () => {
    const r = await runCli(['serve'], {
      DATA_DIR: tempPath('data'),
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://localhost/x',
      AGE_RECIPIENTS: 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
    });
    assert.notEqual(r.code, 0, show(r));
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'AGE_RECIPIENTS']) {
      assert.match(r.stderr, new RegExp(name), `${name} not named`);
    }
    assert.ok(!r.stderr.includes('QQQQQQQQQQQQQQQQQQQQQQQQ'), 'a secret key given by mistake was echoed back');
  });

  it('migrate refuses a bad DATABASE_URL the same way', async () => {
    const r = await runCli(['migrate'], { DATA_DIR: tempPath('data'), DATABASE_URL: 'mysql://localhost/x' });
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /DATABASE_URL must start with postgres/);
  });
});
