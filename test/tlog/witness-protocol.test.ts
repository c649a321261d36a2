import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkTree,
  cosignatureVerifier,
  cosigner,
  formatAddCheckpointRequest,
  formatCheckpoint,
  formatConflictBody,
  generateCosignatureKey,
  generateKey,
  MalformedError,
  MAX_CONSISTENCY_PROOF_LINES,
  noteSigner,
  noteVerifier,
  openCheckpoint,
  openNote,
  parseAddCheckpointRequest,
  parseConflictBody,
  parseCosignatureResponse,
  parseNote,
  proveTree,
  signatureLine,
  signNote,
  TLOG_SIZE_CONTENT_TYPE,
  treeHash,
  WITNESS_STATUS,
} from '../../src/tlog/index.js';
import { MemoryLog } from './support/memory-log.js';

// The example request of c2sp.org/tlog-witness.
const specExample = `old 20852014
PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
`;

test('the example request of tlog-witness parses, and writes back the same', () => {
  const request = parseAddCheckpointRequest(specExample);
  assert.equal(request.oldSize, 20852014);
  assert.equal(request.consistencyProof.length, 4);
  assert.equal(Buffer.from(request.consistencyProof[3]!).toString('base64'), '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=');
  assert.equal(parseNote(request.checkpoint).signatures.length, 2);
  assert.ok(request.checkpoint.startsWith('example.com/behind-the-sofa\n20852163\n'));
  assert.equal(formatAddCheckpointRequest(request), specExample);
  assert.deepEqual(parseAddCheckpointRequest(Buffer.from(specExample)), request);
});

test('a log asks a witness to cosign: request, proof check, cosignature answer, cosigned checkpoint', async () => {
  const log = await MemoryLog.ofSize(1000);
  const logKey = generateKey('rc.example/log');
  const witnessKey = generateCosignatureKey('witness.example/w1');
  const text = formatCheckpoint({ origin: 'rc.example/log', size: 1000, rootHash: await treeHash(1000, log.reader), extensions: [] });
  const checkpoint = signNote({ text }, [noteSigner(logKey.signerKey)]);
  const body = formatAddCheckpointRequest({ oldSize: 700, consistencyProof: await proveTree(1000, 700, log.reader), checkpoint });

  // The witness's side, as the later server will do it.
  const request = parseAddCheckpointRequest(body);
  const { checkpoint: head } = openCheckpoint(request.checkpoint, { origin: 'rc.example/log', logVerifier: noteVerifier(logKey.verifierKey) });
  checkTree(request.consistencyProof, head.size, head.rootHash, request.oldSize, await treeHash(700, log.reader));
  const answer = signatureLine(parseNote(request.checkpoint).text, cosigner(witnessKey.signerKey));

  // The log's side: the answer is cosignature lines, to append to its checkpoint.
  const cosignatures = parseCosignatureResponse(answer);
  assert.equal(cosignatures.length, 1);
  const cosigned = openNote(checkpoint + answer, [noteVerifier(logKey.verifierKey), cosignatureVerifier(witnessKey.verifierKey)]);
  assert.equal(cosigned.signatures.length, 2);
});

test('malformed requests are refused before anything is verified', () => {
  const hash = 'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=';
  const note = specExample.slice(specExample.indexOf('\n\n') + 2);
  for (const bad of [
    '',
    note,
    `old 5\n${hash}\n${note}`, // no empty line: the note's first line is read as a proof line
    `old 5\n${hash}\n`,
    `old 5\n${hash}\n\n`, // no checkpoint
    `old 5\n\nnot a note\n`,
    `old 05\n${hash}\n\n${note}`,
    `old -1\n\n${note}`,
    `old\n\n${note}`,
    `old  5\n${hash}\n\n${note}`,
    `Old 5\n${hash}\n\n${note}`,
    `old 5 \n${hash}\n\n${note}`,
    `old 0\n${hash}\n\n${note}`, // a proof from size 0 must be empty
    `old 5\n${hash.slice(1)}\n\n${note}`,
    `old 5\nYmFuYW5hcw==\n\n${note}`,
    `old 5\n${hash} \n\n${note}`,
    `old 5\n${`${hash}\n`.repeat(MAX_CONSISTENCY_PROOF_LINES + 1)}\n${note}`,
    `old 5\r\n${hash}\n\n${note}`,
  ]) {
    assert.throws(() => parseAddCheckpointRequest(bad), MalformedError, JSON.stringify(bad.slice(0, 60)));
  }
  assert.throws(() => parseAddCheckpointRequest(Buffer.from([0x6f, 0x6c, 0x64, 0x20, 0x30, 0x0a, 0x0a, 0xff])), MalformedError);
  // 63 proof lines are allowed.
  assert.equal(parseAddCheckpointRequest(`old 5\n${`${hash}\n`.repeat(63)}\n${note}`).consistencyProof.length, 63);
  // The old size 0 with no proof is the way to learn the witness's size.
  assert.equal(parseAddCheckpointRequest(`old 0\n\n${note}`).oldSize, 0);
});

test('requests that could not be read back are not written', () => {
  const note = specExample.slice(specExample.indexOf('\n\n') + 2);
  assert.throws(() => formatAddCheckpointRequest({ oldSize: 0, consistencyProof: [new Uint8Array(32)], checkpoint: note }), MalformedError);
  assert.throws(() => formatAddCheckpointRequest({ oldSize: 1, consistencyProof: [new Uint8Array(31)], checkpoint: note }), MalformedError);
  assert.throws(() => formatAddCheckpointRequest({ oldSize: 1, consistencyProof: [], checkpoint: 'unsigned\n' }), MalformedError);
  assert.throws(() => formatAddCheckpointRequest({ oldSize: -1, consistencyProof: [], checkpoint: note }), RangeError);
});

test('the statuses and the 409 body of tlog-witness', () => {
  assert.deepEqual(WITNESS_STATUS, { cosigned: 200, badRequest: 400, untrustedSignature: 403, unknownLog: 404, conflict: 409, inconsistent: 422 });
  assert.equal(TLOG_SIZE_CONTENT_TYPE, 'text/x.tlog.size');
  assert.equal(formatConflictBody(20852014), '20852014\n');
  assert.equal(parseConflictBody('20852014\n'), 20852014);
  assert.equal(parseConflictBody('0\n'), 0);
  for (const bad of ['20852014', '020852014\n', '-1\n', '\n', '1\n\n', ' 1\n']) assert.throws(() => parseConflictBody(bad), MalformedError, bad);
});

test('a cosignature answer must be whole signature lines', () => {
  const line = '— witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==\n';
  assert.equal(parseCosignatureResponse(line + line.replace('w1', 'w2')).length, 2);
  for (const bad of ['', line.slice(0, -1), `${line}\n`, `garbage\n${line}`, line.replace('— ', '')]) {
    assert.throws(() => parseCosignatureResponse(bad), MalformedError, JSON.stringify(bad));
  }
});
