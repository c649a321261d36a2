// Signed notes against the vectors of Go's golang.org/x/mod/sumdb/note (note_test.go) and of
// github.com/transparency-dev/formats (log/note_test.go): keys, key IDs and signatures made by
// Go, which these functions must reproduce byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AmbiguousKeyError,
  ed25519VerifierKey,
  generateKey,
  InvalidSignatureError,
  MalformedError,
  noteSigner,
  noteVerifier,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  UnverifiedNoteError,
  type NoteSigner,
  type NoteVerifier,
} from '../../src/tlog/index.js';

const peterSkey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const peterVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const enochVkey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterSig = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const enochSig = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const peter = { name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=' };
const enoch = { name: 'EnochRoot', keyId: 0xaf0cfe78, base64: 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=' };

test('signing with the PeterNeumann key gives Go note.Sign output byte for byte (Go TestSign)', () => {
  const signer = noteSigner(peterSkey);
  assert.equal(signer.name, 'PeterNeumann');
  assert.equal(signer.keyId, 0xc74f20a3);
  assert.equal(signNote({ text }, [signer]), `${text}\n${peterSig}`);
  // An existing signature by the same key is replaced by the new one.
  assert.equal(signNote({ text, signatures: [{ name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'BADSIGN=' }] }, [signer]), `${text}\n${peterSig}`);
  // Existing signatures by other keys come first, the new ones after them.
  assert.equal(signNote({ text, signatures: [enoch] }, [signer]), `${text}\n${enochSig}${peterSig}`);
});

test('bad inputs to signing are refused (Go TestSign)', () => {
  const signer = noteSigner(peterSkey);
  assert.throws(() => signNote({ text: 'abc' }, [signer]), MalformedError);
  assert.throws(() => signNote({ text, signatures: [{ name: 'a+b', keyId: 0, base64: 'ABCD' }] }, []), MalformedError);
  assert.throws(() => signNote({ text, signatures: [{ name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'BADHASH=' }] }, []), MalformedError);
  const badName: NoteSigner = { ...signer, name: 'bad name', sign: signer.sign };
  assert.throws(() => signNote({ text }, [badName]), MalformedError);
  const failing: NoteSigner = { name: 'x', keyId: 1, sign: () => { throw new Error('surprise!'); } };
  assert.throws(() => signNote({ text }, [failing]), /surprise!/);
  assert.throws(() => signNote({ text: 'a\u0001b\n' }, [signer]), MalformedError);
  assert.throws(() => signNote({ text: 'lone \ud800 surrogate\n' }, [signer]), MalformedError);
  assert.throws(() => signNote({ text }, []), MalformedError);
});

test('the Go verifier and signer keys parse, and their key IDs are SHA-256(name, 0x0A, 0x01, key)', () => {
  const v = parseVerifierKey(peterVkey);
  assert.deepEqual([v.name, v.keyId, v.type], ['PeterNeumann', 0xc74f20a3, 1]);
  const s = parseSignerKey(peterSkey);
  assert.deepEqual(Buffer.from(s.publicKey), Buffer.from(v.publicKey));
  assert.equal(ed25519VerifierKey('PeterNeumann', v.publicKey), peterVkey);
  assert.equal(parseVerifierKey(enochVkey).keyId, 0xaf0cfe78);
  // transparency-dev/formats key pairs and keys (log/note_test.go, note_cosigv1_test.go, sum.golang.org).
  for (const [vkey, skey] of [
    ['Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs', 'PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ'],
    ['Known+451c786d+AXAQ0T7lbwuY4ABJ9/MYY9bWV3hmSyOGVt2x42NkmdUH', 'PRIVATE+KEY+Known+451c786d+AQPRoE2+Z+Ed1HaHBA9F/FfracvcZ2rDU39kCecMEoci'],
    ['KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj', 'PRIVATE+KEY+KnownAgain+4893b26c+ARhZda/l25zjGZswYLDZsLNRzNpmv5wYTN9IoTr1OJ2+'],
    ['Unknown+fdbb2e08+AWgRIYZ+8x1Vl+1Q+sR8zciNHiYI1SdlBjNw+RV0rots', 'PRIVATE+KEY+Unknown+fdbb2e08+Aav2knTC6orbhXX8pMWuNiWgO+Wwk2DB+h1eU2Q1W1nU'],
  ] as const) {
    const key = parseSignerKey(skey);
    assert.equal(ed25519VerifierKey(key.name, key.publicKey), vkey);
  }
  for (const vkey of ['TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6', 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8']) {
    assert.equal(noteVerifier(vkey).name, vkey.split('+')[0]);
  }
});

test('every substring and every one-byte change of a verifier key is refused (Go TestNewVerifier)', () => {
  const b = Buffer.from(peterVkey);
  for (let i = 0; i <= b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) {
      if (i === 0 && j === b.length) continue;
      assert.throws(() => noteVerifier(b.subarray(i, j).toString('latin1')), MalformedError, b.subarray(i, j).toString('latin1'));
    }
  }
  for (let i = 0; i < b.length; i++) {
    const changed = Buffer.from(b);
    changed[i]!++;
    assert.throws(() => noteVerifier(changed.toString('latin1')), MalformedError, changed.toString('latin1'));
  }
  // A key of the wrong length, and an unknown algorithm, each with a matching key ID.
  assert.throws(() => noteVerifier('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='), MalformedError);
  assert.throws(() => noteVerifier('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'), MalformedError);
});

test('every substring and every one-byte change of a signer key is refused (Go TestNewSigner)', () => {
  const b = Buffer.from(peterSkey);
  for (let i = 0; i <= b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) {
      if (i === 0 && j === b.length) continue;
      assert.throws(() => noteSigner(b.subarray(i, j).toString('latin1')), MalformedError);
    }
  }
  for (let i = 0; i < b.length; i++) {
    const changed = Buffer.from(b);
    changed[i]!++;
    assert.throws(() => noteSigner(changed.toString('latin1')), MalformedError);
  }
});

test('a signer key error never repeats the secret', () => {
  const seed = peterSkey.split('+').slice(4).join('+');
  for (const bad of [peterSkey.replace('c74f20a3', 'c74f20a4'), peterSkey.replace('PRIVATE', 'PUBLIC'), `${peterSkey}==`]) {
    assert.throws(() => noteSigner(bad), (e: Error) => e instanceof MalformedError && !e.message.includes(seed) && !e.message.includes('AYEK'));
  }
});

test('a generated key pair signs notes its verifier opens (Go TestGenerateKey)', () => {
  const { signerKey, verifierKey } = generateKey('EnochRoot');
  assert.match(signerKey, /^PRIVATE\+KEY\+EnochRoot\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
  assert.match(verifierKey, /^EnochRoot\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
  const signer = noteSigner(signerKey);
  const verifier = noteVerifier(verifierKey);
  assert.equal(signer.keyId, verifier.keyId);
  const message = Buffer.from('hi');
  const sig = signer.sign(message);
  assert.ok(verifier.verify(message, sig));
  assert.ok(!verifier.verify(Buffer.from('hj'), sig));
  const corrupt = Uint8Array.from(sig);
  corrupt[0]!++;
  assert.ok(!verifier.verify(message, corrupt));
  assert.throws(() => generateKey('bad name'), MalformedError);
  assert.throws(() => generateKey('a+b'), MalformedError);
});

const peterV = () => noteVerifier(peterVkey);
const enochV = () => noteVerifier(enochVkey);

test('one signature verified and one unknown; both verified; none verified (Go TestOpen)', () => {
  const both = `${text}\n${peterSig}${enochSig}`;
  let n = openNote(both, [peterV()]);
  assert.equal(n.text, text);
  assert.deepEqual(n.signatures, [peter]);
  assert.deepEqual(n.unverifiedSignatures, [enoch]);
  n = openNote(Buffer.from(both), [peterV(), enochV()]);
  assert.deepEqual(n.signatures, [peter, enoch]);
  assert.deepEqual(n.unverifiedSignatures, []);
  assert.throws(
    () => openNote(both, []),
    (e: unknown) => e instanceof UnverifiedNoteError && e.message === 'note has no verifiable signatures' && e.note.unverifiedSignatures.length === 2,
  );
});

test('a key listed twice is ambiguous only when a signature names it (Go TestOpen)', () => {
  assert.throws(() => openNote(`${text}\n${enochSig}`, [enochV(), peterV(), enochV()]), (e: unknown) => e instanceof AmbiguousKeyError && e.message === 'ambiguous key EnochRoot+af0cfe78');
  assert.deepEqual(openNote(`${text}\n${peterSig}`, [enochV(), peterV(), enochV()]).signatures, [peter]);
});

test('more than 100 signatures are refused, verified or not (Go TestOpen)', () => {
  assert.throws(() => openNote(`${text}\n${peterSig.repeat(101)}`, [peterV()]), MalformedError);
  assert.throws(() => openNote(`${text}\n${peterSig.repeat(101)}`, []), MalformedError);
  assert.deepEqual(openNote(`${text}\n${peterSig.repeat(100)}`, [peterV()]).signatures, [peter]);
});

test('a bad signature by a known key fails the whole note; by an unknown key it is kept unverified (Go TestOpen)', () => {
  // Go slices bytes, and the em dash is three of them: Go's sig[:60] is JavaScript's slice(0, 58).
  const badPeter = `${peterSig.slice(0, 58)}ABCD${peterSig.slice(58)}`;
  assert.throws(() => openNote(`${text}\n${badPeter}`, [peterV()]), (e: unknown) => e instanceof InvalidSignatureError && e.message === 'invalid signature for key PeterNeumann+c74f20a3');
  const badEnoch = `${enochSig.slice(0, 58)}ABCD${enochSig.slice(58)}`;
  const n = openNote(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${badEnoch}`, [peterV()]);
  assert.deepEqual(n.signatures, [peter]);
  assert.deepEqual(n.unverifiedSignatures, [enoch, { ...enoch, base64: `${enoch.base64.slice(0, 46)}ABCD${enoch.base64.slice(46)}` }]);
  // Unlike Go, a repeated signature by a known key is verified too (signed-note: verifiers MUST verify it).
  assert.throws(() => openNote(`${text}\n${peterSig}${badPeter}`, [peterV()]), InvalidSignatureError);
});

test('a tampered text, a wrong key or a key of the same name is rejected', () => {
  const note = `${text}\n${peterSig}`;
  assert.throws(() => openNote(note.replace('problem,', 'problem;'), [peterV()]), InvalidSignatureError);
  // A key with the same name but another key ID is not the known key: the signature is unknown.
  const other = noteVerifier(generateKey('PeterNeumann').verifierKey);
  assert.throws(() => openNote(note, [other]), UnverifiedNoteError);
  // A verifier with the same name and ID but another key: the signature fails.
  const impostor: NoteVerifier = { name: 'PeterNeumann', keyId: 0xc74f20a3, verify: other.verify };
  assert.throws(() => openNote(note, [impostor]), InvalidSignatureError);
});

test('malformed notes are refused (Go TestOpen)', () => {
  for (const bad of [
    text,
    `${text}\n`,
    `${text}\n${peterSig.slice(0, -1)}`,
    `\u0001${text}\n${peterSig}`,
    `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
    `${text}\n${peterSig}Unexpected line.\n`,
    `${text}\n${peterSig.replace('— ', '-- ')}`,
    `${text}\n${peterSig.replace('— ', '—')}`,
    `${text}\n— PeterNeumann\n`,
    `${text}\n— PeterNeumann \n`,
    `${text}\n— PeterNeumann AAAAAA==\n`, // a key ID and no signature
    `${text}\n${peterSig.replace('AM=', 'AM')}`,
    `${text}\n${peterSig.replace('AM=', 'AN=')}`, // spare bits set: not canonical base64
    `${text}\n${peterSig}\n`,
    `${text}\r\n${peterSig}`,
    `${text.replace('\n', '\t\n')}\n${peterSig}`,
  ]) {
    assert.throws(() => openNote(bad, [peterV()]), MalformedError, JSON.stringify(bad));
  }
  assert.throws(() => openNote(Buffer.concat([Buffer.from([0xff]), Buffer.from(`${text}\n${peterSig}`)]), [peterV()]), MalformedError);
  assert.throws(() => openNote(Buffer.concat([Buffer.from('\xc0\xaf', 'latin1'), Buffer.from(`${text}\n${peterSig}`)]), [peterV()]), MalformedError);
});

test('the real sum.golang.org tree note opens with its published key', () => {
  const note = 'go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n';
  const opened = openNote(note, [noteVerifier('sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8')]);
  assert.equal(opened.text, 'go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n');
  assert.throws(() => openNote(note.replace('6476701', '6476702'), [noteVerifier('sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8')]), InvalidSignatureError);
});

test('the text is split from the signatures at the last blank line, and may hold blank lines itself', () => {
  const signer = noteSigner(peterSkey);
  for (const body of ['Note\n\n', 'a\n\nb\n', '\n', 'Señor ☃ 中文\n']) {
    const note = signNote({ text: body }, [signer]);
    assert.equal(openNote(note, [peterV()]).text, body);
    assert.equal(parseNote(note).text, body);
  }
  // A leading byte-order mark is text like any other and stays in what is verified.
  const bom = signNote({ text: '\ufeffx\n' }, [signer]);
  assert.equal(openNote(Buffer.from(bom), [peterV()]).text, '\ufeffx\n');
});
