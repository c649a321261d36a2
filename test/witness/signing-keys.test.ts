// The log's signing key and a witness's cosigning key, as operators make and use them:
// `rcenter log keygen|key` and `rcenter witness keygen`, and loadOrCreateLogKey for `serve`.
// A key file is written 0600 and never over another file; a file open to others, malformed, or
// of the other kind is refused with a message naming the file, never the key.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { defaultLogName, loadOrCreateLogKey, LOG_KEY_FILE_NAME, readLogKey } from '../../src/commands/log-keys.js';
import { KeyFileError } from '../../src/commands/signer-key-file.js';
import { cosignatureVerifier, noteSigner, noteVerifier, openNote, parseVerifierKey, signNote } from '../../src/tlog/index.js';
import { runCli, type CliResult } from '../support/server-process.js';
import { scratchDir } from './support/witness-fixture.js';

const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const VKEY_LINE = /^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n$/;

let scratch: string;
before(() => {
  scratch = scratchDir('keys');
});
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});
let counter = 0;
const tempPath = (name: string) => path.join(scratch, `${++counter}-${name}`);
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('rcenter log keygen and log key', { concurrency: true }, () => {
  it('keygen writes a signer key with mode 0600 and prints its verifier key; a second keygen to the same file is refused and changes nothing', async () => {
    const file = tempPath('log.key');
    const first = await runCli(['log', 'keygen', '--out', file, '--name', 'rc.example/log']);
    assert.equal(first.code, 0, show(first));
    assert.match(first.stdout, VKEY_LINE);
    assert.equal(mode(file), 0o600);
    assert.match(fs.readFileSync(file, 'utf8'), /^PRIVATE\+KEY\+rc\.example\/log\+[0-9a-f]{8}\+\S+\n$/);
    assert.equal(parseVerifierKey(first.stdout.trim()).name, 'rc.example/log');
    assert.ok(!first.stdout.includes('PRIVATE') && !first.stderr.includes('PRIVATE'), 'the secret is never printed');

    const before = fs.readFileSync(file);
    const second = await runCli(['log', 'keygen', '--out', file]);
    assert.equal(second.code, 1, show(second));
    assert.match(second.stderr, /already exists; refusing to overwrite/);
    assert.equal(second.stdout, '');
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('the default name is the PUBLIC_URL host + /log, else renunciation-center.example/log; a bad --name writes nothing', async () => {
    const withUrl = await runCli(['log', 'keygen', '--out', tempPath('a.key')], { PUBLIC_URL: 'https://Example.org:8443' });
    assert.equal(parseVerifierKey(withUrl.stdout.trim()).name, 'example.org:8443/log', show(withUrl));
    const without = await runCli(['log', 'keygen', '--out', tempPath('b.key')]);
    assert.equal(parseVerifierKey(without.stdout.trim()).name, 'renunciation-center.example/log', show(without));
    const badFile = tempPath('c.key');
    const bad = await runCli(['log', 'keygen', '--out', badFile, '--name', 'has space']);
    assert.equal(bad.code, 1, show(bad));
    assert.ok(!fs.existsSync(badFile));
    assert.equal(defaultLogName('https://example.org'), 'example.org/log');
    assert.equal(defaultLogName('http://abcdefghijklmnop.onion'), 'abcdefghijklmnop.onion/log');
  });

  it('log key prints a verifier key that verifies a note signed with the key file', async () => {
    const file = tempPath('log.key');
    const made = await runCli(['log', 'keygen', '--out', file, '--name', 'rc.example/log']);
    const r = await runCli(['log', 'key'], { LOG_SIGNING_KEY_FILE: file });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, VKEY_LINE);
    assert.equal(r.stdout, made.stdout);
    const note = signNote({ text: 'rc.example/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' }, [noteSigner(fs.readFileSync(file, 'utf8').trim())]);
    assert.equal(openNote(note, [noteVerifier(r.stdout.trim())]).signatures.length, 1);
  });

  it('log key reads DATA_DIR/log-signing.key when LOG_SIGNING_KEY_FILE is unset, and fails clearly when there is none', async () => {
    const dataDir = tempPath('data');
    const missing = await runCli(['log', 'key'], { DATA_DIR: dataDir });
    assert.equal(missing.code, 1, show(missing));
    assert.match(missing.stderr, /log-signing\.key: ENOENT/);
    assert.ok(!fs.existsSync(dataDir), 'log key creates nothing');
    const created = loadOrCreateLogKey(loadConfig({ DATA_DIR: dataDir }));
    const r = await runCli(['log', 'key'], { DATA_DIR: dataDir });
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout.trim(), created.verifierKey);
  });

  it('a key file open to group or others, malformed, or a witness key, is refused by log key with exit 1', async () => {
    const file = tempPath('log.key');
    await runCli(['log', 'keygen', '--out', file]);
    fs.chmodSync(file, 0o640);
    const open = await runCli(['log', 'key'], { LOG_SIGNING_KEY_FILE: file });
    assert.equal(open.code, 1, show(open));
    assert.match(open.stderr, /open to group or others \(mode 0640\); run chmod 600/);

    const garbage = tempPath('garbage.key');
    fs.writeFileSync(garbage, 'PRIVATE+KEY+rc.example/log+00000000+AAAA\n', { mode: 0o600 });
    const malformed = await runCli(['log', 'key'], { LOG_SIGNING_KEY_FILE: garbage });
    assert.equal(malformed.code, 1, show(malformed));
    assert.match(malformed.stderr, /does not hold a signer key/);

    const witnessKey = tempPath('witness.key');
    await runCli(['witness', 'keygen', '--out', witnessKey, '--name', 'w.example/w']);
    const wrongKind = await runCli(['log', 'key'], { LOG_SIGNING_KEY_FILE: witnessKey });
    assert.equal(wrongKind.code, 1, show(wrongKind));
    assert.match(wrongKind.stderr, /witness cosigning key, not a log signing key/);
    for (const [r, keyFile] of [[open, file], [malformed, garbage], [wrongKind, witnessKey]] as const) {
      assert.ok(!r.stderr.includes(fs.readFileSync(keyFile, 'utf8').trim()), `the key in ${keyFile} is not repeated: ${r.stderr}`);
    }
  });
});

describe('loadOrCreateLogKey', () => {
  it('creates DATA_DIR/log-signing.key (0600, directory 0700) once, says so, then reads the same key', () => {
    const dataDir = path.join(tempPath('data'), 'nested');
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://example.org' });
    const first = loadOrCreateLogKey(config);
    assert.equal(first.created, true);
    assert.equal(first.file, path.join(dataDir, LOG_KEY_FILE_NAME));
    assert.equal(first.name, 'example.org/log');
    assert.equal(mode(first.file), 0o600);
    assert.equal(mode(dataDir), 0o700);
    const second = loadOrCreateLogKey(config);
    assert.equal(second.created, false);
    assert.equal(second.verifierKey, first.verifierKey);
    assert.equal(readLogKey(config).verifierKey, first.verifierKey);
    const text = 'example.org/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
    openNote(signNote({ text }, [second.signer]), [noteVerifier(first.verifierKey)]);
  });

  it('with LOG_SIGNING_KEY_FILE set it never creates a key: a missing, unreadable or open file fails fast', () => {
    const dataDir = tempPath('data');
    const missing = tempPath('missing.key');
    assert.throws(() => loadOrCreateLogKey(loadConfig({ DATA_DIR: dataDir, LOG_SIGNING_KEY_FILE: missing })), KeyFileError);
    assert.ok(!fs.existsSync(missing) && !fs.existsSync(path.join(dataDir, LOG_KEY_FILE_NAME)));

    const open = tempPath('open.key');
    fs.copyFileSync(loadOrCreateLogKey(loadConfig({ DATA_DIR: tempPath('other') })).file, open);
    fs.chmodSync(open, 0o604);
    assert.throws(() => loadOrCreateLogKey(loadConfig({ LOG_SIGNING_KEY_FILE: open })), /open to group or others/);
    fs.chmodSync(open, 0o600);
    assert.equal(loadOrCreateLogKey(loadConfig({ LOG_SIGNING_KEY_FILE: open })).created, false);

    assert.throws(() => loadOrCreateLogKey(loadConfig({ LOG_SIGNING_KEY_FILE: scratch })), /not a regular file|open to group/);
  });

  it('an existing DATA_DIR/log-signing.key open to others is refused, not replaced', () => {
    const dataDir = tempPath('data');
    const key = loadOrCreateLogKey(loadConfig({ DATA_DIR: dataDir }));
    fs.chmodSync(key.file, 0o644);
    const before = fs.readFileSync(key.file);
    assert.throws(() => loadOrCreateLogKey(loadConfig({ DATA_DIR: dataDir })), KeyFileError);
    assert.deepEqual(fs.readFileSync(key.file), before);
  });
});

describe('rcenter witness keygen and serve start-up', { concurrency: true }, () => {
  it('witness keygen writes a cosigning key (type 0x04) with mode 0600, prints its verifier key, and refuses to overwrite', async () => {
    const file = tempPath('witness.key');
    const r = await runCli(['witness', 'keygen', '--out', file, '--name', 'witness.example/w1']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, VKEY_LINE);
    assert.equal(mode(file), 0o600);
    const vkey = parseVerifierKey(r.stdout.trim());
    assert.equal(vkey.type, 0x04);
    assert.equal(vkey.name, 'witness.example/w1');
    cosignatureVerifier(r.stdout.trim());
    const again = await runCli(['witness', 'keygen', '--out', file]);
    assert.equal(again.code, 1, show(again));
    assert.match(again.stderr, /already exists/);
  });

  it('witness serve refuses to start without a log, with a log key as its key, with a missing key, or with a bad --log', async () => {
    const dataDir = tempPath('wdata');
    const logKeyFile = tempPath('log.key');
    const logVkey = (await runCli(['log', 'keygen', '--out', logKeyFile])).stdout.trim();
    const witnessKey = tempPath('witness.key');
    await runCli(['witness', 'keygen', '--out', witnessKey]);
    const cases: [string[], RegExp][] = [
      [['--key-file', witnessKey], /no log to witness/],
      [['--key-file', logKeyFile, '--log', logVkey], /holds a log signing key, not a witness cosigning key/],
      [['--key-file', tempPath('none.key'), '--log', logVkey], /cannot read the key file .*ENOENT[\s\S]*rcenter witness keygen/],
      [['--key-file', witnessKey, '--log', 'rc.example/log=not-a-key'], /is not a verifier key/],
      [['--key-file', witnessKey, '--log', (await runCli(['witness', 'keygen', '--out', tempPath('w2.key')])).stdout.trim()], /not a log signing key/],
      [['--key-file', witnessKey, '--log', logVkey, '--port', '70000'], /--port/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['witness', 'serve', '--data-dir', dataDir, ...args]);
      assert.equal(r.code, 1, `${args.join(' ')}\n${show(r)}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });
});
