// The witness on a real port, asked by the client the center will use (submitToWitness): each
// answer comes back as its status (never a throw), cosignatures ready to append to the
// checkpoint, the witness's size on 409; no answer within the timeout is status 0; and what the
// witness cosigned survives a restart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { cosignatureVerifier, generateKey, noteVerifier, openNote } from '../../src/tlog/index.js';
import { submitToWitness } from '../../src/witness/witness-client.js';
import { openTestWitness, ORIGIN, scratchDir, TestLog, type TestWitness } from './support/witness-fixture.js';

let log: TestLog;
let witness: TestWitness;
let prefix: string;
let dataDir: string;

before(async () => {
  log = await TestLog.ofSize(300);
  dataDir = scratchDir('http');
  witness = await openTestWitness([{ origin: ORIGIN, verifierKey: log.key.verifierKey }], { dataDir });
  prefix = await witness.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await witness.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('submitToWitness against the witness over HTTP', () => {
  it('cosigns the first checkpoint; the cosignature lines make a note that verifies with the witness key', async () => {
    const request = await log.request(0, 100);
    const answer = await submitToWitness(prefix, request, 5_000);
    assert.equal(answer.status, 200, answer.error);
    assert.equal(answer.cosignatures?.length, 1);
    assert.ok(answer.cosignatures![0]!.endsWith('\n'));
    const note = openNote(request.checkpoint + answer.cosignatures!.join(''), [noteVerifier(log.key.verifierKey), cosignatureVerifier(witness.verifierKey)]);
    assert.equal(note.signatures.length, 2);
  });

  it('learns the size from a 409, then grows from it with a proof', async () => {
    const conflict = await submitToWitness(`${prefix}/`, await log.request(0, 150), 5_000);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.size, 100);
    const grown = await submitToWitness(prefix, await log.request(conflict.size!, 150), 5_000);
    assert.equal(grown.status, 200, grown.error);
  });

  it('returns 422, 403, 404 and 400 as statuses, with the message, never a throw', async () => {
    const fork = await log.fork(50, 200);
    assert.equal((await submitToWitness(prefix, await fork.request(150, 200), 5_000)).status, 422);
    const impostor = generateKey(ORIGIN);
    const forged = { ...(await log.request(150, 200)), checkpoint: await log.checkpoint(200, { signerKeys: [impostor.signerKey] }) };
    assert.equal((await submitToWitness(prefix, forged, 5_000)).status, 403);
    const stranger = await TestLog.ofSize(3, 'stranger.example/log');
    const unknown = await submitToWitness(prefix, await stranger.request(0, 3), 5_000);
    assert.equal(unknown.status, 404);
    assert.match(unknown.error ?? '', /unknown log origin/);
    const downwards = { oldSize: 150, consistencyProof: [], checkpoint: await log.checkpoint(120) };
    assert.equal((await submitToWitness(prefix, downwards, 5_000)).status, 400);
    assert.equal(witness.store.latest(ORIGIN)!.size, 150);
  });

  it('a witness that does not answer in time, or is not there, is status 0 with a reason', async () => {
    const silent = http.createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const answer = await submitToWitness(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, await log.request(0, 10), 300);
      assert.equal(answer.status, 0);
      assert.match(answer.error ?? '', /timeout/);
      assert.ok(Date.now() - started < 3_000, 'the timeout is kept');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
    const gone = await submitToWitness('http://127.0.0.1:1', await log.request(0, 10), 2_000);
    assert.equal(gone.status, 0);
    assert.ok(gone.error);
  });

  it('a 200 that is not cosignature lines is reported, not passed on as cosignatures', async () => {
    const liar = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('trust me\n'));
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await submitToWitness(`http://127.0.0.1:${(liar.address() as AddressInfo).port}`, await log.request(0, 10), 2_000);
      assert.equal(answer.status, 200);
      assert.equal(answer.cosignatures, undefined);
      assert.match(answer.error ?? '', /without cosignature lines/);
    } finally {
      await new Promise((resolve) => liar.close(resolve));
    }
  });

  it('what was cosigned survives a restart of the witness: the same key, the same size, growth goes on', async () => {
    const size = witness.store.latest(ORIGIN)!.size;
    await witness.close();
    witness = await openTestWitness([{ origin: ORIGIN, verifierKey: log.key.verifierKey }], { dataDir });
    prefix = await witness.app.listen({ host: '127.0.0.1', port: 0 });
    const conflict = await submitToWitness(prefix, await log.request(0, 300), 5_000);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.size, size);
    const request = await log.request(size, 300);
    const grown = await submitToWitness(prefix, request, 5_000);
    assert.equal(grown.status, 200, grown.error);
    openNote(request.checkpoint + grown.cosignatures!.join(''), [cosignatureVerifier(witness.verifierKey)]);
  });
});
