// The witness's add-checkpoint, request by request, as c2sp.org/tlog-witness says it must
// answer: cosign a log that only grows, refuse everything else with the status the
// specification names, and leave what it stored untouched when it refuses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cosignatureTimestamp,
  cosignatureVerifier,
  formatAddCheckpointRequest,
  generateKey,
  noteVerifier,
  openNote,
  parseCosignatureResponse,
  parseNote,
  signNote,
  noteSigner,
} from '../../src/tlog/index.js';
import { MAX_ADD_CHECKPOINT_BYTES } from '../../src/witness/witness-app.js';
import { flipBit } from '../tlog/support/memory-log.js';
import { addCheckpoint, openTestWitness, ORIGIN, TestLog, type TestWitness } from './support/witness-fixture.js';

let log: TestLog;
before(async () => {
  log = await TestLog.ofSize(100);
});

/** A witness following `log` only; closed after the suite. */
const witnesses: TestWitness[] = [];
async function freshWitness(extra: { origin: string; verifierKey: string }[] = []): Promise<TestWitness> {
  const witness = await openTestWitness([{ origin: ORIGIN, verifierKey: log.key.verifierKey }, ...extra]);
  witnesses.push(witness);
  return witness;
}
after(async () => {
  for (const witness of witnesses) await witness.close();
});

/** A witness that has cosigned `log` at `size`. */
async function witnessAt(size: number): Promise<TestWitness> {
  const witness = await freshWitness();
  const r = await addCheckpoint(witness, await log.body(0, size));
  assert.equal(r.statusCode, 200, r.body);
  return witness;
}

function assertStored(witness: TestWitness, size: number, rootHash: Uint8Array, message?: string) {
  const stored = witness.store.latest(ORIGIN);
  assert.ok(stored, message ?? 'nothing stored');
  assert.equal(stored.size, size, message);
  assert.deepEqual(Buffer.from(stored.rootHash), Buffer.from(rootHash), message);
}

describe('cosigning a log that grows', () => {
  it('the first checkpoint (old 0) is cosigned: one tlog-cosignature/v1 line that verifies with the witness key, timestamped by its clock', async () => {
    const witness = await freshWitness();
    const checkpoint = await log.checkpoint(10);
    const r = await addCheckpoint(witness, formatAddCheckpointRequest({ oldSize: 0, consistencyProof: [], checkpoint }));
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.headers['content-type'] as string, /^text\/plain/);
    const lines = parseCosignatureResponse(r.body);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.name, 'witness.example/w1');
    assert.equal(cosignatureTimestamp(lines[0]!), Math.floor(witness.clock.now / 1000));
    // The client's way to read the answer (the specification's own suggestion): append it to
    // the checkpoint and open the note with the log key and the witness key.
    const cosigned = openNote(checkpoint + r.body, [noteVerifier(log.key.verifierKey), cosignatureVerifier(witness.verifierKey)]);
    assert.deepEqual(cosigned.signatures.map((s) => s.name), [ORIGIN, 'witness.example/w1']);
    // A cosignature by another witness key with the same name does not verify as this one.
    const impostor = generateKey('witness.example/w1', 0x04);
    assert.throws(() => openNote(checkpoint + r.body, [cosignatureVerifier(impostor.verifierKey)]));
    assertStored(witness, 10, await log.rootHash(10));
    assert.equal(witness.store.latest(ORIGIN)!.checkpoint, checkpoint, 'the signed checkpoint is kept as the log sent it');
  });

  it('growth with a valid consistency proof is cosigned, step after step, and the stored checkpoint follows', async () => {
    const witness = await witnessAt(10);
    for (const [from, to] of [
      [10, 11],
      [11, 64],
      [64, 100],
    ] as const) {
      witness.clock.now += 60_000;
      const request = await log.request(from, to);
      const r = await addCheckpoint(witness, formatAddCheckpointRequest(request));
      assert.equal(r.statusCode, 200, `${from} → ${to}: ${r.body}`);
      openNote(request.checkpoint + r.body, [cosignatureVerifier(witness.verifierKey)]);
      assertStored(witness, to, await log.rootHash(to));
      assert.equal(witness.store.latest(ORIGIN)!.cosignedAt, Math.floor(witness.clock.now / 1000));
    }
  });

  it('the same checkpoint again (old = size, same root) is cosigned again', async () => {
    const witness = await witnessAt(10);
    const r = await addCheckpoint(witness, await log.body(10, 10));
    assert.equal(r.statusCode, 200, r.body);
    assertStored(witness, 10, await log.rootHash(10));
  });

  it('extension lines are part of what is cosigned', async () => {
    const witness = await freshWitness();
    const checkpoint = await log.checkpoint(5, { extensions: ['an extension line'] });
    const r = await addCheckpoint(witness, formatAddCheckpointRequest({ oldSize: 0, consistencyProof: [], checkpoint }));
    assert.equal(r.statusCode, 200, r.body);
    openNote(checkpoint + r.body, [cosignatureVerifier(witness.verifierKey)]);
    const withoutExtension = await log.checkpoint(5);
    assert.throws(() => openNote(withoutExtension + r.body, [cosignatureVerifier(witness.verifierKey)]));
  });

  it('a log with two trusted keys (a key rotation) is cosigned when either signs', async () => {
    const next = generateKey(ORIGIN);
    const witness = await freshWitness([{ origin: ORIGIN, verifierKey: next.verifierKey }]);
    const byNewKey = await log.checkpoint(10, { signerKeys: [next.signerKey] });
    assert.equal((await addCheckpoint(witness, formatAddCheckpointRequest({ oldSize: 0, consistencyProof: [], checkpoint: byNewKey }))).statusCode, 200);
    assert.equal((await addCheckpoint(witness, await log.body(10, 20))).statusCode, 200);
  });
});

describe('409: the old size is not what the witness cosigned', () => {
  it('a wrong old size gets 409 text/x.tlog.size with the size last cosigned; old 0 is how a log learns it', async () => {
    const witness = await witnessAt(40);
    for (const old of [0, 39, 41]) {
      const r = await addCheckpoint(witness, await log.body(old, 60));
      assert.equal(r.statusCode, 409, `old ${old}: ${r.body}`);
      assert.equal(r.headers['content-type'], 'text/x.tlog.size');
      assert.equal(r.body, '40\n');
    }
    assertStored(witness, 40, await log.rootHash(40));
  });

  it('a witness that never cosigned the log answers 409 with 0 to a non-zero old size', async () => {
    const witness = await freshWitness();
    const r = await addCheckpoint(witness, await log.body(10, 20));
    assert.equal(r.statusCode, 409);
    assert.equal(r.body, '0\n');
    assert.equal(witness.store.latest(ORIGIN), undefined);
  });

  it('the same size with another root hash (a fork) gets 409 and is not cosigned', async () => {
    const witness = await witnessAt(30);
    const fork = await log.fork(20, 30);
    const r = await addCheckpoint(witness, await fork.body(30, 30));
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.body, '30\n');
    assertStored(witness, 30, await log.rootHash(30));
  });
});

describe('422: the consistency proof does not verify', () => {
  it('another history of the log, with a proof that is valid for it, is refused and the stored checkpoint unchanged', async () => {
    const witness = await witnessAt(30);
    const before = witness.store.latest(ORIGIN)!;
    // Signed by the real log key: the log itself lies. The fork's proof is right for the fork.
    const fork = await log.fork(20, 50);
    const r = await addCheckpoint(witness, await fork.body(30, 50));
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(witness.store.latest(ORIGIN), before);
  });

  it('a proof for another tree, a proof with a flipped bit, a proof a hash short or long, and no proof, are refused', async () => {
    const witness = await witnessAt(30);
    const before = witness.store.latest(ORIGIN)!;
    const good = await log.request(30, 70);
    const otherTree = await log.request(30, 80);
    const bodies = {
      'a proof to size 80 with the checkpoint of 70': { ...good, consistencyProof: otherTree.consistencyProof },
      'a proof from size 20': { ...good, consistencyProof: (await log.request(20, 70)).consistencyProof },
      'a flipped bit': { ...good, consistencyProof: [flipBit(good.consistencyProof[0]!, 77), ...good.consistencyProof.slice(1)] },
      'a hash short': { ...good, consistencyProof: good.consistencyProof.slice(1) },
      'a hash long': { ...good, consistencyProof: [...good.consistencyProof, good.consistencyProof[0]!] },
      'no proof': { ...good, consistencyProof: [] },
    };
    for (const [what, request] of Object.entries(bodies)) {
      const r = await addCheckpoint(witness, formatAddCheckpointRequest(request));
      assert.equal(r.statusCode, 422, `${what}: ${r.body}`);
      assert.deepEqual(witness.store.latest(ORIGIN), before, what);
    }
    // The good one still goes through afterwards.
    assert.equal((await addCheckpoint(witness, formatAddCheckpointRequest(good))).statusCode, 200);
  });

  it('a proof for the same size must be empty', async () => {
    const witness = await witnessAt(30);
    const withProof = { ...(await log.request(30, 30)), consistencyProof: (await log.request(20, 30)).consistencyProof };
    assert.equal((await addCheckpoint(witness, formatAddCheckpointRequest(withProof))).statusCode, 422);
  });
});

describe('403, 404 and 400', () => {
  it('a forged log signature gets 403: an unknown key under the log name, a corrupted signature, or no trusted signature at all', async () => {
    const witness = await witnessAt(10);
    const before = witness.store.latest(ORIGIN)!;
    const impostor = generateKey(ORIGIN);
    const genuine = await log.checkpoint(20);
    const { text, signatures } = parseNote(genuine);
    const sig = Buffer.from(signatures[0]!.base64, 'base64');
    sig[10] = sig[10]! ^ 1;
    const forged = {
      'signed by another key with the log name': await log.checkpoint(20, { signerKeys: [impostor.signerKey] }),
      'the log key ID with a corrupted signature': `${text}\n— ${ORIGIN} ${sig.toString('base64')}\n`,
      'the right signature over another root': genuine.replace(text.split('\n')[2]!, Buffer.alloc(32, 7).toString('base64')),
      'a good signature beside a bad one by the same key': `${genuine}— ${ORIGIN} ${sig.toString('base64')}\n`,
    };
    const proof = (await log.request(10, 20)).consistencyProof;
    for (const [what, checkpoint] of Object.entries(forged)) {
      const r = await addCheckpoint(witness, formatAddCheckpointRequest({ oldSize: 10, consistencyProof: proof, checkpoint }));
      assert.equal(r.statusCode, 403, `${what}: ${r.body}`);
      assert.deepEqual(witness.store.latest(ORIGIN), before, what);
    }
    // Signatures by unknown keys beside the log's own are ignored, as the specification says.
    const alsoSigned = signNote(parseNote(genuine) as never, [noteSigner(generateKey('someone.example/else').signerKey)]);
    assert.equal((await addCheckpoint(witness, formatAddCheckpointRequest({ oldSize: 10, consistencyProof: proof, checkpoint: alsoSigned }))).statusCode, 200);
  });

  it('an origin the witness does not follow gets 404, even when well signed', async () => {
    const witness = await freshWitness();
    const other = await TestLog.ofSize(5, 'other.example/log');
    const r = await addCheckpoint(witness, await other.body(0, 5));
    assert.equal(r.statusCode, 404, r.body);
    assert.equal(witness.store.latest('other.example/log'), undefined);
  });

  it('malformed bodies get 400 and change nothing', async () => {
    const witness = await witnessAt(10);
    const before = witness.store.latest(ORIGIN)!;
    const note = await log.checkpoint(20);
    const hash = Buffer.alloc(32, 1).toString('base64');
    const notACheckpoint = signNote({ text: `${ORIGIN}\nnot a size\n${hash}\n` }, [noteSigner(log.key.signerKey)]);
    for (const bad of [
      '',
      note,
      `old 10\n${hash}\n${note}`,
      `old 010\n${hash}\n\n${note}`,
      `old -1\n\n${note}`,
      `old 10\n${hash.slice(2)}\n\n${note}`,
      `old 10\n${`${hash}\n`.repeat(64)}\n${note}`,
      `old 10\r\n${hash}\n\n${note}`,
      `old 10\n${hash}\n\nnot a signed note\n`,
      `old 0\n${hash}\n\n${note}`,
      `old 10\n\n${notACheckpoint}`,
    ]) {
      const r = await addCheckpoint(witness, bad);
      assert.equal(r.statusCode, 400, `${JSON.stringify(bad.slice(0, 50))}: ${r.statusCode} ${r.body}`);
    }
    const invalidUtf8 = Buffer.concat([Buffer.from('old 10\n\n'), Buffer.from([0xff, 0xfe]), Buffer.from(note)]);
    assert.equal((await addCheckpoint(witness, invalidUtf8)).statusCode, 400);
    assert.deepEqual(witness.store.latest(ORIGIN), before);
  });

  it('a body without a content type, or with any content type, is read the same way', async () => {
    const witness = await freshWitness();
    const body = await log.body(0, 10);
    assert.equal((await witness.app.inject({ method: 'POST', url: '/add-checkpoint', payload: body, headers: { 'content-type': 'application/octet-stream' } })).statusCode, 200);
    const r = await witness.app.inject({ method: 'POST', url: '/add-checkpoint', payload: await log.body(10, 12) });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await witness.app.inject({ method: 'POST', url: '/add-checkpoint' })).statusCode, 400, 'an empty body');
  });

  it('a body beyond the limit gets 413 unread; other methods get 405; other paths 404', async () => {
    const witness = await freshWitness();
    const huge = `old 0\n\n${'x'.repeat(MAX_ADD_CHECKPOINT_BYTES)}\n`;
    assert.equal((await addCheckpoint(witness, huge)).statusCode, 413);
    const get = await witness.app.inject({ method: 'GET', url: '/add-checkpoint' });
    assert.equal(get.statusCode, 405);
    assert.equal(get.headers.allow, 'POST');
    assert.equal((await witness.app.inject({ method: 'POST', url: '/add-checkpoint/', payload: 'x' })).statusCode, 404);
  });
});

describe('a rollback is refused', () => {
  it('a smaller checkpoint is refused whatever old size it claims, and the stored size stays', async () => {
    const witness = await witnessAt(50);
    // old = the cosigned size, new smaller: "old MUST be equal to or lower than the checkpoint size" → 400.
    const down = { oldSize: 50, consistencyProof: [], checkpoint: await log.checkpoint(30) };
    assert.equal((await addCheckpoint(witness, formatAddCheckpointRequest(down))).statusCode, 400);
    // Claiming an older starting point, with a valid proof from it: 409 with the real size.
    const r = await addCheckpoint(witness, await log.body(20, 30));
    assert.equal(r.statusCode, 409);
    assert.equal(r.body, '50\n');
    // From zero again: 409 too, never a fresh start.
    assert.equal((await addCheckpoint(witness, await log.body(0, 30))).statusCode, 409);
    assertStored(witness, 50, await log.rootHash(50));
  });

  it('the database itself refuses a smaller size, under the compare-and-swap', async () => {
    const witness = await witnessAt(50);
    const current = witness.store.latest(ORIGIN)!;
    assert.throws(() => witness.store.compareAndSwap(current, { ...current, size: 49 }), /size would go down/);
    assert.equal(witness.store.compareAndSwap({ ...current, size: 49 }, { ...current, size: 60 }), false, 'a swap from a row that is not there');
    assert.deepEqual(witness.store.latest(ORIGIN), current);
  });
});

describe('no client address is logged or stored', () => {
  it('requests of every outcome, logged at debug, leave no trace of the client address', async () => {
    const witness = await openTestWitness([{ origin: ORIGIN, verifierKey: log.key.verifierKey }], { logLevel: 'debug' });
    witnesses.push(witness);
    const address = '203.0.113.77';
    for (const body of [await log.body(0, 10), await log.body(3, 10), 'garbage', await log.body(10, 20)]) {
      await witness.app.inject({ method: 'POST', url: '/add-checkpoint', payload: body, remoteAddress: address, headers: { 'x-forwarded-for': '198.51.100.9' } });
    }
    const text = witness.logs.join('');
    assert.ok(!text.includes(address) && !text.includes('198.51.100.9'), text);
    const fs = await import('node:fs');
    for (const name of fs.readdirSync(witness.dataDir)) {
      const bytes = fs.readFileSync(`${witness.dataDir}/${name}`);
      assert.equal(bytes.indexOf(address), -1, name);
    }
  });
});
