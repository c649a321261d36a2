// Which logs a witness follows, as operators write them: `ORIGIN=VKEY`, or `VKEY` alone for a
// log whose origin is its key's name, on the command line or in a file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCosignatureKey, generateKey, noteSigner, signNote } from '../../src/tlog/index.js';
import { parseTrustedLogKey, parseTrustedLogsFile, trustedLogs, TrustedLogsError } from '../../src/witness/trusted-logs.js';

test('VKEY alone follows the log named by the key; ORIGIN=VKEY follows another origin with that key', () => {
  const key = generateKey('rc.example/log');
  assert.deepEqual(parseTrustedLogKey(key.verifierKey), { origin: 'rc.example/log', verifierKey: key.verifierKey });
  assert.deepEqual(parseTrustedLogKey(` other.example/log=${key.verifierKey} `), { origin: 'other.example/log', verifierKey: key.verifierKey });
  for (const bad of ['', 'rc.example/log', `=${key.verifierKey}`, 'rc.example/log=rc.example/log+00000000+AAAA']) {
    assert.throws(() => parseTrustedLogKey(bad), TrustedLogsError, bad);
  }
});

test('a logs file: one entry a line, comments and blank lines skipped; every key of an origin trusted', () => {
  const a = generateKey('rc.example/log');
  const b = generateKey('rc.example/log');
  const c = generateKey('other.example/log');
  const logs = trustedLogs(parseTrustedLogsFile(`# the center, during a key rotation\n${a.verifierKey}\n\n${b.verifierKey}\n  ${c.verifierKey}\n${a.verifierKey}\n`));
  assert.deepEqual([...logs.keys()], ['rc.example/log', 'other.example/log']);
  assert.equal(logs.get('rc.example/log')!.length, 2, 'the same key twice counts once');
  const text = Buffer.from('rc.example/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
  const signature = Buffer.from(signNote({ text: text.toString() }, [noteSigner(b.signerKey)]).split(' ').pop()!.trim(), 'base64').subarray(4);
  assert.ok(logs.get('rc.example/log')!.some((v) => v.verify(text, signature)));
});

test('a witness key, or a key whose ID does not match it, is refused as a log key', () => {
  assert.throws(() => trustedLogs([parseTrustedLogKey(generateCosignatureKey('w.example/w').verifierKey)]), /not a log signing key/);
  // The key ID of one key with the public key of another: refused before it could shadow the first.
  const [name, id] = generateKey('rc.example/log').verifierKey.split('+');
  const other = generateKey('rc.example/log').verifierKey.split('+')[2];
  assert.throws(() => parseTrustedLogKey(`${name}+${id}+${other}`), TrustedLogsError);
});
