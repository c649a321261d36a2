// The staff commands of `rcenter` as operators and scripts run them (`node bin/rcenter.js …`):
// user add|list|disable, token create|list|revoke, import, audit verify — on both databases —
// and the first-admin hint of `rcenter serve` on a fresh install.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Progress } from '../src/cli/cli-support.js';
import { authenticateApiToken } from '../src/commands/api-tokens.js';
import { verifyPassword } from '../src/crypto/password-hasher.js';
import { countStaffUsers, findStaffUserByName } from '../src/storage/staff.repository.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.js';
import { runCli, startServerProcess, type CliResult } from './support/server-process.js';

const show = (r: CliResult) => `exit ${r.code} signal ${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

/** Lower scrypt cost for the accounts made here (the CLI's production default is 2^17). */
const FAST_HASH = { RCENTER_PASSWORD_COST_LOG2: '14' };
const PASSWORD = 'violet-harbour-lantern-42';
const FIRST_ADMIN_HINT = 'npx rcenter user add --name admin --role admin --password-file -';

let scratch: string;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-cli-staff-'));
});
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});
const tempPath = (name: string) => path.join(scratch, `${randomBytes(4).toString('hex')}-${name}`);
const writeTemp = (name: string, contents: string | Buffer) => {
  const file = tempPath(name);
  fs.writeFileSync(file, contents);
  return file;
};

const HEADER = 'displayName,nameKind,organizations,region,channel,consent';
const GOOD_CSV = [
  HEADER,
  '明远,pseudonym,party;youth_league,440000,phone,yes',
  '"Li, Hua",real,young_pioneers,overseas,letter,true',
  '清风,pseudonym,party|young_pioneers,110000,in_person,on',
].join('\n');
/** Rows 3 and 5 (file lines) are bad; the others are good. */
const TWO_BAD_ROWS_CSV = [
  HEADER,
  '甲,pseudonym,party,440000,phone,yes',
  '乙,pseudonym,party,440000,fax,yes',
  '丙,pseudonym,party,440000,email,yes',
  '丁,alias,party,999999,hotline,no',
  '戊,pseudonym,party,440000,letter,yes',
].join('\n');

describe('rcenter user, token, import, audit --help', { concurrency: true }, () => {
  for (const command of [['user'], ['user', 'add'], ['user', 'list'], ['user', 'disable'], ['token'], ['token', 'create'], ['token', 'list'], ['token', 'revoke'], ['import'], ['audit'], ['audit', 'verify']]) {
    it(`rcenter ${command.join(' ')} --help describes it and exits 0`, async () => {
      const r = await runCli([...command, '--help']);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, new RegExp(`^Usage: rcenter ${command.join(' ')}\\b`, 'm'));
    });
  }

  it('import --help documents every CSV column', async () => {
    const r = await runCli(['import', '--help']);
    assert.equal(r.code, 0, show(r));
    for (const column of ['displayName', 'nameKind', 'organizations', 'region', 'occupation', 'channel', 'consent', 'language', 'title', 'text']) {
      assert.match(r.stdout, new RegExp(`^\\s+${column}\\s+(required|optional)`, 'm'), `${column} is not documented`);
    }
  });

  it('user add has no option that takes the password itself', async () => {
    const r = await runCli(['user', 'add', '--help']);
    assert.doesNotMatch(r.stdout, /--password\s/);
    const refused = await runCli(['user', 'add', '--name', 'x1', '--role', 'volunteer', '--password', PASSWORD], { DATA_DIR: tempPath('data') });
    assert.notEqual(refused.code, 0, show(refused));
  });
});

describeEachDialect('rcenter user, token, import, audit', (dialect) => {
  let t: TestDatabase;
  let env: Record<string, string | undefined>;
  const cli = (args: string[]) => runCli(args, env);
  const submissionCount = async () => Number((await t.database.db.selectFrom('submission').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

  before(async () => {
    t = await createTestDatabase(dialect);
    env = { DATA_DIR: t.dataDir, DATABASE_URL: t.databaseUrl, ...FAST_HASH };
  });
  after(async () => {
    await t?.cleanup();
  });

  describe('user add', () => {
    it('refuses a weak password with the rule, exits 1, creates nothing', async () => {
      const r = await runCli(['user', 'add', '--name', 'weakling', '--role', 'volunteer', '--password-file', '-'], env, 30_000, 'short\n');
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /Password: use at least 12 characters/);
      assert.equal(r.stdout, '');
      assert.equal(await countStaffUsers(t.database.db), 0);
    });

    it('prints every problem at once (name, role, password)', async () => {
      const r = await runCli(['user', 'add', '--name', 'a b', '--role', 'boss', '--password-file', '-'], env, 30_000, 'password1234');
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /User name:/);
      assert.match(r.stderr, /Role: must be admin, editor, volunteer or translator/);
      assert.match(r.stderr, /Password:/);
      assert.equal(await countStaffUsers(t.database.db), 0);
    });

    it('an editor: prints what was created and the otpauth:// URI on the last line, with a line to enrol it now', async () => {
      const file = writeTemp('password.txt', `${PASSWORD}\n`);
      const r = await cli(['user', 'add', '--name', 'alice', '--role', 'editor', '--password-file', file]);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /created editor "alice"/);
      assert.match(r.stdout, /Enrol .* NOW .*shown only this once/);
      assert.match(lastLine(r.stdout), /^otpauth:\/\/totp\/[^\s]*alice\?[^\s]*secret=[A-Z2-7]+/);
      const user = await findStaffUserByName(t.database.db, 'alice');
      assert.equal(user?.role, 'editor');
      assert.ok(user?.totp_secret && lastLine(r.stdout).includes(`secret=${user.totp_secret}`), 'the URI is not for the stored secret');
      assert.ok(await verifyPassword(PASSWORD, user.password_hash), 'the trailing newline of the file was kept in the password');
    });

    it('a volunteer with the password on standard input (one trailing newline dropped); no TOTP', async () => {
      const r = await runCli(['user', 'add', '--name', 'vol', '--role', 'volunteer', '--password-file', '-'], env, 30_000, `${PASSWORD}\n`);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /created volunteer "vol"/);
      assert.doesNotMatch(r.stdout, /otpauth/);
      const user = await findStaffUserByName(t.database.db, 'vol');
      assert.equal(user?.totp_secret, null);
      assert.ok(await verifyPassword(PASSWORD, user!.password_hash));
      assert.ok(!(await verifyPassword(`${PASSWORD}\n`, user!.password_hash)));
    });

    it('refuses a name that is taken', async () => {
      const r = await runCli(['user', 'add', '--name', 'alice', '--role', 'volunteer', '--password-file', '-'], env, 30_000, PASSWORD);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /User name: this name is already taken/);
      assert.equal((await findStaffUserByName(t.database.db, 'alice'))?.role, 'editor');
    });

    it('a missing password file: exit 1, says so', async () => {
      const r = await cli(['user', 'add', '--name', 'nofile', '--role', 'volunteer', '--password-file', tempPath('missing.txt')]);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /cannot read the password file .*ENOENT/);
    });

    it('records the actions as the `cli` actor in the audit log', async () => {
      const rows = await t.database.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'user.create').execute();
      assert.equal(rows.length, 2);
      for (const row of rows) assert.equal(row.actor, 'cli');
    });
  });

  describe('user list and disable', () => {
    it('user list: name, role, totp, disabled, created', async () => {
      await runCli(['user', 'add', '--name', 'leaver', '--role', 'volunteer', '--password-file', '-'], env, 30_000, PASSWORD);
      await runCli(['user', 'add', '--name', 'trans', '--role', 'translator', '--password-file', '-'], env, 30_000, PASSWORD);
      const r = await cli(['user', 'list']);
      assert.equal(r.code, 0, show(r));
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^name\s+role\s+totp\s+disabled\s+created/);
      const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/);
      assert.deepEqual(row('alice')?.slice(0, 4), ['alice', 'editor', 'yes', 'no']);
      assert.deepEqual(row('vol')?.slice(0, 4), ['vol', 'volunteer', 'no', 'no']);
      assert.match(row('vol')![4]!, /^\d{4}-\d{2}-\d{2}$/);
      assert.doesNotMatch(r.stdout, /scrypt|otpauth/);
    });

    it('user disable: the account shows disabled and its tokens stop working', async () => {
      const created = await cli(['token', 'create', '--user', 'leaver']);
      assert.equal(created.code, 0, show(created));
      const token = lastLine(created.stdout);
      assert.equal((await authenticateApiToken(t.database, token))?.name, 'leaver');

      const r = await cli(['user', 'disable', '--name', 'leaver']);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /disabled "leaver"/);
      assert.equal(await authenticateApiToken(t.database, token), null);
      const list = await cli(['user', 'list']);
      assert.deepEqual(list.stdout.split('\n').find((l) => l.startsWith('leaver '))?.split(/\s+/).slice(0, 4), ['leaver', 'volunteer', 'no', 'yes']);
    });

    it('user disable of an unknown name: exit 1, says so', async () => {
      const r = await cli(['user', 'disable', '--name', 'nobody']);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /no staff user named "nobody"/);
    });
  });

  describe('token', () => {
    let id: string;
    let token: string;

    it('token create prints the token alone on the last line; it authenticates as the user', async () => {
      const r = await cli(['token', 'create', '--user', 'alice', '--expires', '30', '--label', 'queue bot']);
      assert.equal(r.code, 0, show(r));
      token = lastLine(r.stdout);
      assert.match(token, /^rct_[A-Za-z0-9_-]{43}$/);
      assert.ok(r.stdout.endsWith(`\n${token}\n`), 'the token is not alone on the last line');
      id = /created token (\S+)/.exec(r.stdout)![1]!;
      const member = await authenticateApiToken(t.database, token);
      assert.deepEqual({ name: member?.name, role: member?.role }, { name: 'alice', role: 'editor' });
      // Expires in 30 days: valid in 29, not in 31.
      assert.ok(await authenticateApiToken(t.database, token, Date.now() + 29 * 86_400_000));
      assert.equal(await authenticateApiToken(t.database, token, Date.now() + 31 * 86_400_000), null);
    });

    it('token list shows it (never the secret)', async () => {
      const r = await cli(['token', 'list']);
      assert.equal(r.code, 0, show(r));
      const line = r.stdout.split('\n').find((l) => l.startsWith(id));
      assert.ok(line, r.stdout);
      assert.match(line, /alice\s+active\s.*queue bot$/);
      assert.ok(!r.stdout.includes(token.slice(4)), 'the token was printed');
    });

    it('token revoke makes it fail at once; revoking again exits 1', async () => {
      const r = await cli(['token', 'revoke', '--id', id]);
      assert.equal(r.code, 0, show(r));
      assert.equal(await authenticateApiToken(t.database, token), null);
      const list = await cli(['token', 'list']);
      assert.match(list.stdout.split('\n').find((l) => l.startsWith(id)) ?? '', /\srevoked\s/);
      const again = await cli(['token', 'revoke', '--id', id]);
      assert.equal(again.code, 1, show(again));
      assert.match(again.stderr, /no active token with id/);
    });

    it('refuses an unknown or disabled user, and a bad --expires', async () => {
      for (const user of ['nobody', 'leaver']) {
        const r = await cli(['token', 'create', '--user', user]);
        assert.equal(r.code, 1, show(r));
        assert.match(r.stderr, new RegExp(`no enabled staff user named "${user}"`));
        assert.doesNotMatch(r.stdout, /rct_/);
      }
      const bad = await cli(['token', 'create', '--user', 'alice', '--expires', 'soon']);
      assert.notEqual(bad.code, 0, show(bad));
      assert.match(bad.stderr, /--expires/);
    });
  });

  describe('import', () => {
    it('imports a good file: 3 pending submissions with channel, consent and the volunteer', async () => {
      const file = writeTemp('good.csv', GOOD_CSV);
      const r = await cli(['import', file, '--as', 'vol']);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /imported 3 submissions/);
      const vol = await findStaffUserByName(t.database.db, 'vol');
      const rows = await t.database.db
        .selectFrom('submission')
        .innerJoin('declarant', 'declarant.submission_id', 'submission.id')
        .select(['submission.status', 'submission.channel', 'submission.consent', 'submission.entered_by', 'declarant.display_name'])
        .orderBy('declarant.display_name')
        .execute();
      assert.equal(rows.length, 3);
      for (const row of rows) {
        assert.equal(row.status, 'pending');
        assert.equal(Number(row.consent), 1);
        assert.equal(row.entered_by, vol!.id);
      }
      assert.deepEqual(
        Object.fromEntries(rows.map((row) => [row.display_name, row.channel])),
        { 明远: 'phone', 'Li, Hua': 'letter', 清风: 'in_person' },
      );
    });

    it('a file with 2 bad rows among good ones writes nothing and names both lines', async () => {
      const before = await submissionCount();
      const r = await cli(['import', writeTemp('two-bad.csv', TWO_BAD_ROWS_CSV), '--as', 'vol']);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /^line 3: Channel: /m);
      assert.match(r.stderr, /^line 5: Consent: /m);
      assert.match(r.stderr, /^line 5: Region: /m);
      assert.doesNotMatch(r.stderr, /^line [246]:/m);
      assert.match(r.stderr, /2 bad rows; nothing was imported/);
      assert.equal(await submissionCount(), before, 'something was written');
    });

    const refusals: [string, () => string[], RegExp][] = [
      ['wrong columns', () => [writeTemp('cols.csv', 'name,kind\nx,y\n'), '--as', 'vol'], /line 1: missing column\(s\): displayName.*unknown column\(s\): name, kind/],
      ['invalid UTF-8', () => [writeTemp('latin1.csv', Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xc9, 0x6c, 0xe9, 0x6e, 0x61]), Buffer.from(',real,party,440000,phone,yes\n')])), '--as', 'vol'], /not valid UTF-8/],
      ['an empty file', () => [writeTemp('empty.csv', ''), '--as', 'vol'], /no rows/],
      ['a header without rows', () => [writeTemp('header.csv', `${HEADER}\n`), '--as', 'vol'], /no rows/],
      ['a missing file', () => [tempPath('missing.csv'), '--as', 'vol'], /cannot read .*ENOENT/],
      ['an unknown volunteer', () => [writeTemp('good.csv', GOOD_CSV), '--as', 'nobody'], /no staff user named "nobody"/],
      ['a disabled volunteer', () => [writeTemp('good.csv', GOOD_CSV), '--as', 'leaver'], /"leaver" is disabled/],
      ['a translator', () => [writeTemp('good.csv', GOOD_CSV), '--as', 'trans'], /"trans" is a translator/],
    ];
    // None of them writes anything, so they can run side by side.
    describe('refusals', { concurrency: true }, () => {
      for (const [what, args, message] of refusals) {
        it(`${what}: exit 1 with a message, nothing written`, async () => {
          const before = await submissionCount();
          const r = await cli(['import', ...args()]);
          assert.equal(r.code, 1, show(r));
          assert.match(r.stderr, message);
          assert.match(r.stderr, /nothing was imported/);
          assert.equal(await submissionCount(), before);
        });
      }
    });
  });

  describe('audit verify', () => {
    it('intact after the actions above', async () => {
      const entries = (await t.database.db.selectFrom('audit_log').select('seq').execute()).length;
      assert.ok(entries > 5, `only ${entries} audit entries`);
      const r = await cli(['audit', 'verify']);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, new RegExp(`audit log intact: ${entries} entries`));
    });

    it('an edited entry is named as altered, exit 1', async () => {
      const original = await t.database.db.selectFrom('audit_log').select('reason').where('seq', '=', 2).executeTakeFirstOrThrow();
      await t.database.db.updateTable('audit_log').set({ reason: 'x' }).where('seq', '=', 2).execute();
      const r = await cli(['audit', 'verify']);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /audit log broken at entry #2: altered/);
      assert.doesNotMatch(r.stdout, /intact/);
      await t.database.db.updateTable('audit_log').set({ reason: original.reason }).where('seq', '=', 2).execute();
      assert.equal((await cli(['audit', 'verify'])).code, 0, 'not intact once restored');
    });

    it('a deleted last entry is named as missing, exit 1', async () => {
      const last = await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
      const seq = Number(last.seq);
      await t.database.db.deleteFrom('audit_log').where('seq', '=', seq).execute();
      const r = await cli(['audit', 'verify']);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`audit log broken at entry #${seq}: missing`));
    });
  });
});

describe('on a fresh DATA_DIR (SQLite)', () => {
  it('the commands create the database first: user list, token list, audit verify', async () => {
    const env = { DATA_DIR: path.join(tempPath('data'), 'new') };
    const users = await runCli(['user', 'list'], env);
    assert.equal(users.code, 0, show(users));
    assert.match(users.stdout, /no staff accounts yet/);
    const tokens = await runCli(['token', 'list'], env);
    assert.equal(tokens.code, 0, show(tokens));
    assert.match(tokens.stdout, /no API tokens/);
    const audit = await runCli(['audit', 'verify'], env);
    assert.equal(audit.code, 0, show(audit));
    assert.match(audit.stdout, /audit log intact: 0 entries/);
  });

  it('a large import shows its progress on stderr (plain lines when stderr is not a terminal)', async () => {
    const env = { DATA_DIR: tempPath('data'), ...FAST_HASH };
    const added = await runCli(['user', 'add', '--name', 'bulk', '--role', 'volunteer', '--password-file', '-'], env, 30_000, PASSWORD);
    assert.equal(added.code, 0, show(added));
    const rows = Array.from({ length: 1200 }, (_, i) => `名${i},pseudonym,party,440000,phone,yes`);
    const r = await runCli(['import', writeTemp('big.csv', [HEADER, ...rows].join('\n')), '--as', 'bulk'], env, 60_000);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /imported 1200 submissions/);
    assert.match(r.stderr, /importing 1200\/1200 \(100%\)/);
    assert.doesNotMatch(r.stderr, /\r/, 'a terminal bar was drawn into a pipe');
    const lines = r.stderr.trimEnd().split('\n');
    assert.ok(lines.length >= 2 && lines.length <= 5, `not "a few" progress lines:\n${r.stderr}`);
  });
});

describe('import line numbers (SQLite)', () => {
  // csv-parse's info.lines is the line where a record ENDS, and a CRLF inside a quoted field counts
  // twice: csv-import.ts counts from info.bytes instead, so the report points at the bad row's start.
  it('a bad row is reported at the line where it starts, after or across quoted multi-line fields', async () => {
    const env = { DATA_DIR: tempPath('data'), ...FAST_HASH };
    const added = await runCli(['user', 'add', '--name', 'lines', '--role', 'volunteer', '--password-file', '-'], env, 30_000, PASSWORD);
    assert.equal(added.code, 0, show(added));
    const header = `${HEADER},text`;
    const crlf = [header, '甲,pseudonym,party,440000,phone,yes,"first\r\nsecond"', '乙,pseudonym,party,440000,fax,yes,'].join('\r\n');
    const r1 = await runCli(['import', writeTemp('crlf.csv', crlf), '--as', 'lines'], env);
    assert.equal(r1.code, 1, show(r1));
    assert.match(r1.stderr, /^line 4: Channel: /m);
    const spanning = [header, '甲,pseudonym,party,440000,fax,yes,"first\nsecond\nthird"', '乙,pseudonym,party,440000,phone,yes,'].join('\n');
    const r2 = await runCli(['import', writeTemp('spanning.csv', spanning), '--as', 'lines'], env);
    assert.equal(r2.code, 1, show(r2));
    assert.match(r2.stderr, /^line 2: Channel: /m);
  });
});

describe('Progress', () => {
  const fakeStream = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WriteStream };
  };

  it('on a terminal: one bar redrawn with \\r, ended with a newline', () => {
    const { out, stream } = fakeStream(true);
    const progress = new Progress('importing', 10, stream);
    progress.update(0, 20);
    progress.update(20, 20);
    progress.finish();
    assert.ok(out.length >= 2);
    assert.ok(out.slice(0, -1).every((s) => s.startsWith('\r') && !s.includes('\n')), JSON.stringify(out));
    assert.match(out.at(-2)!, /\[#+\] 20\/20 \(100%\)/);
    assert.equal(out.at(-1), '\n');
  });

  it('quiet for small jobs', () => {
    const { out, stream } = fakeStream(true);
    const progress = new Progress('importing', 1000, stream);
    progress.update(3, 3);
    progress.finish();
    assert.deepEqual(out, []);
  });
});

describe('rcenter serve on a fresh install', () => {
  it('prints the command that creates the first admin after the "serving on" line, and not once there is an account', async () => {
    const dataDir = tempPath('data');
    const waitFor = async (read: () => string, what: string) => {
      // Output of another process: polled, up to a minute, so that a busy machine is not a failure.
      for (let i = 0; i < 1200 && !read().includes(what); i++) await new Promise((r) => setTimeout(r, 50));
      return read();
    };

    const fresh = await startServerProcess({ env: { DATA_DIR: dataDir } });
    let output: string;
    try {
      output = await waitFor(() => fresh.stdout().toString('utf8'), 'AGE_RECIPIENTS');
    } finally {
      await fresh.stop();
    }
    const serving = output.indexOf('serving on');
    const hint = output.indexOf(FIRST_ADMIN_HINT);
    assert.ok(serving >= 0 && hint > serving, `no first-admin hint after "serving on":\n${output}`);
    assert.match(output, /no enabled admin account yet/);

    const added = await runCli(['user', 'add', '--name', 'admin', '--role', 'admin', '--password-file', '-'], { DATA_DIR: dataDir, ...FAST_HASH }, 30_000, PASSWORD);
    assert.equal(added.code, 0, show(added));
    const again = await startServerProcess({ env: { DATA_DIR: dataDir } });
    try {
      output = await waitFor(() => again.stdout().toString('utf8'), 'AGE_RECIPIENTS');
    } finally {
      await again.stop();
    }
    assert.match(output, /serving on/);
    assert.ok(!output.includes(FIRST_ADMIN_HINT), `the hint is shown though an account exists:\n${output}`);
  });
});
