import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatCheckpoint,
  generateKey,
  InvalidSignatureError,
  MalformedError,
  noteSigner,
  noteVerifier,
  openCheckpoint,
  recordHash,
  signNote,
  UnverifiedNoteError,
} from '../../src/tlog/index.js';
import { parseCheckpoint } from '../../src/tlog/index.js';

const helloHash = recordHash(Buffer.from('hello world'));
// Go tlog's FormatTree golden text (note_test.go): a checkpoint with the go.sum origin line.
const golden = 'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';

test('a checkpoint is origin, decimal size and base64 root hash, one per line (Go TestFormatTree)', () => {
  assert.equal(formatCheckpoint({ origin: 'go.sum database tree', size: 123456789012, rootHash: helloHash, extensions: [] }), golden);
  const parsed = parseCheckpoint(golden);
  assert.deepEqual([parsed.origin, parsed.size, Buffer.from(parsed.rootHash).toString('base64'), parsed.extensions], [
    'go.sum database tree', 123456789012, 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=', [],
  ]);
});

test('the C2SP example checkpoint parses, and extension lines round-trip', () => {
  const example = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  assert.equal(parseCheckpoint(example).size, 20852163);
  const extended = { origin: 'rc.example/log', size: 0, rootHash: helloHash, extensions: ['ext one', '☃ two'] };
  const text = formatCheckpoint(extended);
  assert.equal(text.split('\n').length, 6);
  assert.deepEqual(parseCheckpoint(text), { ...extended, rootHash: parseCheckpoint(text).rootHash });
  assert.deepEqual(Buffer.from(parseCheckpoint(text).rootHash), Buffer.from(helloHash));
});

test('malformed checkpoints are refused', () => {
  const hash = 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=';
  for (const bad of [
    golden.slice(0, -1), // no final newline
    `go.sum\n123\n${hash}`,
    'go.sum\n123\n',
    'go.sum\n',
    '',
    `\n123\n${hash}\n`, // empty origin
    `log\n0123\n${hash}\n`, // leading zero
    `log\n00\n${hash}\n`,
    `log\n-1\n${hash}\n`,
    `log\n+1\n${hash}\n`,
    `log\n1.0\n${hash}\n`,
    `log\n 1\n${hash}\n`,
    `log\n0x1f\n${hash}\n`,
    `log\n\n${hash}\n`,
    `log\n9007199254740992\n${hash}\n`, // beyond 2^53 − 1
    `log\n3438945738945739845734895735\n${hash}\n`,
    'log\n123\nThisIsn\'tBase64\n',
    'log\n123\nYmFuYW5hcw==\n', // base64, but of 7 bytes
    `log\n123\n${hash.slice(0, -1)}\n`,
    `log\n123\n${hash.replace('0=', '1=')}\n`, // spare bits: not canonical
    `log\n123\n${Buffer.alloc(33).toString('base64')}\n`,
    `log\n123\n${hash} \n`,
    `log\n123\n${hash}\n\n`, // an empty extension line
    `log\n123\n${hash}\next\n\nmore\n`,
    `log\r\n123\n${hash}\n`,
    `lo\u0000g\n123\n${hash}\n`,
  ]) {
    assert.throws(() => parseCheckpoint(bad), MalformedError, JSON.stringify(bad));
  }
});

test('a checkpoint that cannot be written is refused', () => {
  for (const bad of [
    { origin: '', size: 1, rootHash: helloHash, extensions: [] },
    { origin: 'a\nb', size: 1, rootHash: helloHash, extensions: [] },
    { origin: 'log', size: 1, rootHash: helloHash, extensions: [''] },
    { origin: 'log', size: 1, rootHash: helloHash, extensions: ['x\ny'] },
    { origin: 'log', size: 1, rootHash: helloHash.subarray(1), extensions: [] },
  ]) {
    assert.throws(() => formatCheckpoint(bad), MalformedError);
  }
  assert.throws(() => formatCheckpoint({ origin: 'log', size: -1, rootHash: helloHash, extensions: [] }), RangeError);
});

test('a signed checkpoint opens only with the log key and the expected origin', () => {
  const log = generateKey('rc.example/log');
  const witness = generateKey('witness.example/w1');
  const other = generateKey('rc.example/log');
  const text = formatCheckpoint({ origin: 'rc.example/log', size: 5, rootHash: helloHash, extensions: [] });
  const signed = signNote({ text }, [noteSigner(log.signerKey), noteSigner(witness.signerKey)]);
  const logVerifier = noteVerifier(log.verifierKey);
  const { checkpoint, note } = openCheckpoint(signed, { origin: 'rc.example/log', logVerifier, cosigners: [noteVerifier(witness.verifierKey)] });
  assert.equal(checkpoint.size, 5);
  assert.equal(note.signatures.length, 2);
  assert.throws(() => openCheckpoint(signed, { origin: 'rc.example/other', logVerifier }), MalformedError);
  assert.throws(() => openCheckpoint(signed, { origin: 'rc.example/log', logVerifier: noteVerifier(other.verifierKey) }), UnverifiedNoteError);
  // Signed by the witness alone: the note opens, but not as the log's checkpoint.
  const witnessOnly = signNote({ text }, [noteSigner(witness.signerKey)]);
  assert.throws(() => openCheckpoint(witnessOnly, { origin: 'rc.example/log', logVerifier, cosigners: [noteVerifier(witness.verifierKey)] }), /no signature by the log key/);
  assert.throws(() => openCheckpoint(signed.replace('\n5\n', '\n6\n'), { origin: 'rc.example/log', logVerifier }), InvalidSignatureError);
  // A signed note whose text is not a checkpoint.
  const notCheckpoint = signNote({ text: "if this is a valid checkpoint then I'll eat my hat\n" }, [noteSigner(log.signerKey)]);
  assert.throws(() => openCheckpoint(notCheckpoint, { origin: 'rc.example/log', logVerifier }), MalformedError);
});
