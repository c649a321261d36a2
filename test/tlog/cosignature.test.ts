import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import {
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosignatureVerifierKey,
  cosigner,
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  generateCosignatureKey,
  InvalidSignatureError,
  MalformedError,
  noteSigner,
  noteVerifier,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  recordHash,
  signNote,
  UnverifiedNoteError,
} from '../../src/tlog/index.js';

const checkpoint = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const at = (seconds: number) => () => seconds * 1000;

test('the signed message is the header, the time line and the checkpoint (tlog-cosignature example)', () => {
  assert.equal(
    Buffer.from(cosignatureMessage(checkpoint, 1679315147)).toString(),
    'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
  );
  assert.equal(Buffer.from(cosignatureMessage(checkpoint, 0)).toString().split('\n')[1], 'time 0');
  assert.equal(Buffer.from(cosignatureMessage(checkpoint, 2n ** 63n - 1n)).toString().split('\n')[1], 'time 9223372036854775807');
  assert.throws(() => cosignatureMessage(checkpoint, 2n ** 63n), RangeError);
  assert.throws(() => cosignatureMessage(checkpoint, -1), RangeError);
  assert.throws(() => cosignatureMessage('not a checkpoint\n', 1), MalformedError);
});

test('cosignature lines of others read as key ID, timestamp and signature (C2SP and transparency-dev vectors)', () => {
  const example = parseNote(`${checkpoint}\n— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n`);
  assert.equal(example.signatures[0]!.keyId, 0x8d66cf3f);
  assert.equal(cosignatureTimestamp(example.signatures[0]!), 1679315147); // the time in the specification's example
  assert.equal(cosignatureTimestamp({ name: 'w', keyId: 0, base64: 'ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==' }), 1727964367);
  // An Ed25519 note signature (type 0x01) is no cosignature.
  assert.throws(() => cosignatureTimestamp({ name: 'w', keyId: 0, base64: 'eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=' }), MalformedError);
  assert.throws(() => cosignatureTimestamp({ name: 'w', keyId: 0, base64: '5%/$!\n 2' }), MalformedError);
});

test('a cosigner key ID is SHA-256(name, 0x0A, 0x04, key): the remora witness key (transparency-dev vector)', () => {
  const vkey = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
  const verifier = cosignatureVerifier(vkey);
  assert.equal(verifier.keyId, 0xda77ade7);
  const key = parseVerifierKey(vkey);
  assert.equal(cosignatureKeyId(key.name, key.publicKey), 0xda77ade7);
  assert.equal(cosignatureVerifierKey(key.name, key.publicKey), vkey);
  // It is not a note signature key, and a note key is not a cosignature key.
  assert.throws(() => noteVerifier(vkey), MalformedError);
  assert.throws(() => cosignatureVerifier('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'), MalformedError);
});

test('a cosignature made here is a timestamped Ed25519 signature that plain node:crypto verifies', () => {
  const { signerKey, verifierKey } = generateCosignatureKey('witness.example/w1');
  const signed = signNote({ text: checkpoint }, [cosigner(signerKey, at(1700000000))]);
  const raw = Buffer.from(parseNote(signed).signatures[0]!.base64, 'base64');
  assert.equal(raw.length, 4 + 8 + 64);
  assert.equal(raw.readUInt32BE(0), parseVerifierKey(verifierKey).keyId);
  assert.equal(raw.readBigUInt64BE(4), 1700000000n);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), parseVerifierKey(verifierKey).publicKey]);
  const message = Buffer.from(`cosignature/v1\ntime 1700000000\n${checkpoint}`);
  assert.ok(verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), raw.subarray(12)));
  assert.equal(cosignatureTimestamp(parseNote(signed).signatures[0]!), 1700000000);
});

test('a cosigned checkpoint opens with the cosigner key; a tampered time, text or signature does not', () => {
  const { signerKey, verifierKey } = generateCosignatureKey('witness.example/w1');
  const verifier = cosignatureVerifier(verifierKey);
  const signed = signNote({ text: checkpoint }, [cosigner(signerKey, at(1700000000))]);
  assert.equal(openNote(signed, [verifier]).signatures.length, 1);

  const line = parseNote(signed).signatures[0]!;
  const raw = Buffer.from(line.base64, 'base64');
  const reline = (bytes: Buffer) => `${checkpoint}\n— ${line.name} ${bytes.toString('base64')}\n`;
  const later = Buffer.from(raw);
  later.writeBigUInt64BE(1700000001n, 4);
  assert.throws(() => openNote(reline(later), [verifier]), InvalidSignatureError);
  const huge = Buffer.from(raw);
  huge.writeBigUInt64BE(2n ** 63n, 4);
  assert.throws(() => openNote(reline(huge), [verifier]), InvalidSignatureError);
  const flipped = Buffer.from(raw);
  flipped[40]! ^= 1;
  assert.throws(() => openNote(reline(flipped), [verifier]), InvalidSignatureError);
  assert.throws(() => openNote(reline(raw.subarray(0, 75)), [verifier]), InvalidSignatureError);
  assert.throws(() => openNote(signed.replace('20852163', '20852164'), [verifier]), InvalidSignatureError);
  // Another cosigner's key under the same name has another key ID: the line is unknown to it.
  assert.throws(() => openNote(signed, [cosignatureVerifier(generateCosignatureKey('witness.example/w1').verifierKey)]), UnverifiedNoteError);
});

test('the cosignature covers extension lines (transparency-dev TestSigCoversExtensionLines)', () => {
  const { signerKey, verifierKey } = generateCosignatureKey('test');
  const text = formatCheckpoint({ origin: 'test', size: 123, rootHash: recordHash(Buffer.from('x')), extensions: ['Extendo'] });
  const signed = signNote({ text }, [cosigner(signerKey, at(5))]);
  assert.equal(openNote(signed, [cosignatureVerifier(verifierKey)]).text, text);
  assert.throws(() => openNote(signed.replace('Extendo', 'Extend@'), [cosignatureVerifier(verifierKey)]), InvalidSignatureError);
});

test('one seed as a note key (0x01) and as a cosigner key (0x04) makes two keys that do not accept each other', () => {
  const seed = parseSignerKey(generateCosignatureKey('w').signerKey).seed;
  const publicKey = parseSignerKey(formatSignerKey('w', 1, seed)).publicKey;
  const noteKey = { signer: formatSignerKey('w', 1, seed), verifier: formatVerifierKey('w', 1, publicKey) };
  const cosignerKey = { signer: formatSignerKey('w', 4, seed), verifier: formatVerifierKey('w', 4, publicKey) };
  assert.notEqual(noteVerifier(noteKey.verifier).keyId, cosignatureVerifier(cosignerKey.verifier).keyId);
  assert.throws(() => noteSigner(cosignerKey.signer), MalformedError);
  assert.throws(() => cosigner(noteKey.signer), MalformedError);
  const cosigned = signNote({ text: checkpoint }, [cosigner(cosignerKey.signer, at(9))]);
  const signed = signNote({ text: checkpoint }, [noteSigner(noteKey.signer)]);
  assert.throws(() => openNote(cosigned, [noteVerifier(noteKey.verifier)]), UnverifiedNoteError);
  assert.throws(() => openNote(signed, [cosignatureVerifier(cosignerKey.verifier)]), UnverifiedNoteError);
  // A verifier wrongly given the other key's ID still refuses: the message differs.
  const misfiled = { ...cosignatureVerifier(cosignerKey.verifier), keyId: noteVerifier(noteKey.verifier).keyId };
  assert.throws(() => openNote(signed, [misfiled]), InvalidSignatureError);
});

test('a cosigner signs checkpoints only, and refuses clocks before 1970', () => {
  const { signerKey } = generateCosignatureKey('w');
  assert.throws(() => signNote({ text: 'hello\n' }, [cosigner(signerKey)]), MalformedError);
  assert.throws(() => signNote({ text: checkpoint }, [cosigner(signerKey, () => -5000)]), RangeError);
});
