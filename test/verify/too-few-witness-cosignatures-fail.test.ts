// --witness keys and --quorum K: at least K of the witnesses given must have a valid
// tlog-cosignature/v1 on the checkpoint. Too few, or a cosignature that does not verify under
// the witness's key, fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosigner, generateCosignatureKey, parseNote, signNote } from '../../src/tlog/index.js';
import { FakeLog } from '../support/fake-log.js';
import { lineOf, verifyMirror } from '../support/fake-mirror.js';

const log = FakeLog.random(40, { days: 2 });
const [a, b, c] = ['witness-a.test', 'witness-b.test', 'witness-c.test'].map((name) => generateCosignatureKey(name)) as [ReturnType<typeof generateCosignatureKey>, ReturnType<typeof generateCosignatureKey>, ReturnType<typeof generateCosignatureKey>];
const all = [a.verifierKey, b.verifierKey, c.verifierKey];

test('all witnesses given cosigned: passes', async () => {
  const files = await log.files({ witnesses: [a.signerKey, b.signerKey, c.signerKey] });
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey, witnesses: all, statements: 'none' });
  assert.equal(result.ok, true, result.printed);
  assert.match(lineOf(result, 'witnesses').detail, /^3 of the 3 witnesses given cosigned this checkpoint \(quorum 3/);
});

test('two of three cosigned: fails by default (all needed), passes with --quorum 2', async () => {
  const files = await log.files({ witnesses: [a.signerKey, b.signerKey] });
  const strict = await verifyMirror(files, 'http', { key: log.verifierKey, witnesses: all, statements: 'none' });
  assert.equal(strict.ok, false);
  assert.match(lineOf(strict, 'witnesses').detail, /^only 2 of the 3 witnesses given cosigned this checkpoint, 3 needed .*absent: witness-c\.test/);
  const quorum = await verifyMirror(files, 'http', { key: log.verifierKey, witnesses: all, quorum: 2, statements: 'none' });
  assert.equal(quorum.ok, true, quorum.printed);
});

test('a cosignature made with another key under a witness\'s name does not count', async () => {
  const forger = generateCosignatureKey('witness-b.test');
  const files = await log.files({ witnesses: [a.signerKey] });
  // The forger's line carries its own key ID, so give the verifier a line with b's ID and the forger's signature.
  const note = parseNote(Buffer.from(files.get('log/checkpoint')!).toString('utf8'));
  const forged = parseNote(signNote({ text: note.text }, [cosigner(forger.signerKey)])).signatures[0]!;
  const realId = parseNote(signNote({ text: note.text }, [cosigner(b.signerKey)])).signatures[0]!.keyId;
  const bytes = Buffer.from(forged.base64, 'base64');
  bytes.writeUInt32BE(realId, 0);
  files.set('log/checkpoint', Buffer.from(`${Buffer.from(files.get('log/checkpoint')!).toString('utf8')}— witness-b.test ${bytes.toString('base64')}\n`));
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey, witnesses: [a.verifierKey, b.verifierKey], quorum: 2, statements: 'none' });
  assert.equal(result.ok, false);
  assert.match(lineOf(result, 'witnesses').detail, /only 1 of the 2 .*valid: witness-a\.test; invalid: witness-b\.test/);
});

test('a checkpoint with no cosignature fails when a witness is required', async () => {
  const result = await verifyMirror(await log.files(), 'dir', { key: log.verifierKey, witnesses: [a.verifierKey], statements: 'none' });
  assert.equal(lineOf(result, 'witnesses').ok, false);
});
