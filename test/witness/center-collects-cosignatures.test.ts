// The center's side of witnessing: every new checkpoint goes to each witness in WITNESSES with
// the consistency proof from the size that witness last cosigned; what comes back is kept only
// if it verifies, and served with the checkpoint. Threats: a witness that is down must delay
// nothing but its own cosignature; a log rolled back (an older backup restored) must be told
// apart from a witness that is merely behind; a witness answering garbage must not put a bad
// line beside the checkpoint. Real witnesses (`buildWitnessApp`) on real ports, both databases.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { collectCosignatures, cosignedCheckpoint, type SignedCheckpoint } from '../../src/commands/witness-collector.js';
import { loadConfig } from '../../src/config.js';
import { cosignatureVerifier, generateCosignatureKey, noteVerifier, openNote, parseCheckpoint } from '../../src/tlog/index.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { openTestWitness, ORIGIN, TestLog, type TestWitness } from './support/witness-fixture.js';

async function signed(log: TestLog, size: number): Promise<SignedCheckpoint> {
  const note = await log.checkpoint(size);
  return { note, size, rootHash: parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).rootHash };
}

describeEachDialect('the center collects cosignatures from its witnesses', (dialect) => {
  let t: TestDatabase;
  let log: TestLog;
  let up: TestWitness;
  let upUrl: string;
  let second: TestWitness;
  let secondUrl: string;
  let liar: http.Server;
  let liarUrl: string;
  const liarKey = generateCosignatureKey('liar.example/w').verifierKey;
  before(async () => {
    t = await createTestDatabase(dialect);
    log = await TestLog.ofSize(40);
    const trusted = [{ origin: ORIGIN, verifierKey: log.key.verifierKey }];
    up = await openTestWitness(trusted);
    upUrl = await up.app.listen({ host: '127.0.0.1', port: 0 });
    second = await openTestWitness(trusted);
    secondUrl = await second.app.listen({ host: '127.0.0.1', port: 0 });
    liar = http.createServer((_req, res) => res.end('— liar.example/w AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n'));
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    liarUrl = `http://127.0.0.1:${(liar.address() as { port: number }).port}`;
  });
  after(async () => {
    await up.close();
    await second.close();
    await new Promise((resolve) => liar.close(resolve));
    await t.cleanup();
  });

  test('each checkpoint is cosigned from the size each witness last saw, and served with its cosignatures', async () => {
    const witnesses = [
      { url: upUrl, verifierKey: up.verifierKey },
      { url: secondUrl, verifierKey: second.verifierKey },
    ];
    const deps = { database: t.database, witnesses, hashes: log.memory.reader };
    const first = await signed(log, 10);
    assert.deepEqual((await collectCosignatures(deps, first)).map((o) => o.outcome), ['cosigned', 'cosigned']);
    assert.deepEqual((await collectCosignatures(deps, first)).map((o) => o.outcome), ['already cosigned', 'already cosigned']);
    // The second witness misses a checkpoint (it is not asked), then catches up from its own size.
    const grown = await signed(log, 25);
    assert.deepEqual((await collectCosignatures({ ...deps, witnesses: [witnesses[0]!] }, grown)).map((o) => o.outcome), ['cosigned']);
    const latest = await signed(log, 40);
    assert.deepEqual((await collectCosignatures(deps, latest)).map((o) => o.outcome), ['cosigned', 'cosigned']);
    const served = await cosignedCheckpoint(t.database, latest);
    const opened = openNote(served, [noteVerifier(log.key.verifierKey), cosignatureVerifier(up.verifierKey), cosignatureVerifier(second.verifierKey)]);
    assert.equal(opened.signatures.length, 3, 'the log and both witnesses');
    // An older checkpoint gets no cosignature that belongs to a newer one.
    assert.equal(await cosignedCheckpoint(t.database, grown), grown.note);
  });

  test('a witness that is down or answers garbage delays nothing and leaves nothing beside the checkpoint', async () => {
    const checkpoint = await signed(log, 40);
    const witnesses = [
      { url: 'http://127.0.0.1:9', verifierKey: loadConfigWitnessKey() },
      { url: liarUrl, verifierKey: liarKey },
    ];
    const outcomes = await collectCosignatures({ database: t.database, witnesses, hashes: log.memory.reader, timeoutMs: 2_000 }, checkpoint);
    assert.deepEqual(outcomes.map((o) => o.outcome), ['unreachable', 'bad cosignature']);
    const served = await cosignedCheckpoint(t.database, checkpoint);
    assert.ok(!served.includes('liar.example'), 'no unverified line is served');
  });

  test('a log rolled back behind what a witness cosigned is reported as such', async () => {
    const rolledBack = await signed(log, 20);
    // The database forgot (a restore): the witness remembers 40.
    await t.database.db.deleteFrom('witness_cosignature').execute();
    const [outcome] = await collectCosignatures({ database: t.database, witnesses: [{ url: upUrl, verifierKey: up.verifierKey }], hashes: log.memory.reader }, rolledBack);
    assert.equal(outcome!.outcome, 'ahead of the log', JSON.stringify(outcome));
    assert.match(outcome!.detail ?? '', /40 entries; this log has 20/);
  });

  test('a rewritten history is reported as forked, at the size the witness cosigned and beyond it', async () => {
    // The witness cosigned the real log at 40; this database holds another history sharing 30 entries.
    const other = await log.fork(30, 50);
    await t.database.db.deleteFrom('witness_cosignature').execute();
    const witnesses = [{ url: upUrl, verifierKey: up.verifierKey }];
    const sameSize = await signed(other, 40);
    const [atSize] = await collectCosignatures({ database: t.database, witnesses, hashes: other.memory.reader }, sameSize);
    assert.equal(atSize!.outcome, 'forked', JSON.stringify(atSize));
    assert.match(atSize!.detail ?? '', /another tree of 40 entries/);
    const longer = await signed(other, 50);
    const [beyond] = await collectCosignatures({ database: t.database, witnesses, hashes: other.memory.reader }, longer);
    assert.equal(beyond!.outcome, 'forked', JSON.stringify(beyond));
    assert.match(beyond!.detail ?? '', /40 entries it cosigned is not the start of this one/);
    assert.equal(await cosignedCheckpoint(t.database, longer), longer.note, 'no cosignature of a forked log is kept');
  });
});

/** A well-formed cosignature key nobody serves (for the witness that is down), read as WITNESSES is. */
function loadConfigWitnessKey(): string {
  const config = loadConfig({ WITNESSES: `http://127.0.0.1:9 ${generateCosignatureKey('nobody.example/w').verifierKey}` });
  return config.witnesses[0]!.verifierKey;
}
