// `serve` with WITNESSES: each new checkpoint goes to the witnesses, and /log/checkpoint is
// served with the cosignatures they gave it — a reader with the witness keys can check that the
// center shows them the same log it shows the witnesses. A witness that is down costs nothing
// but its own cosignature. Both databases, real witnesses on real ports, the real server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { cosignatureVerifier, generateCosignatureKey, generateKey, noteVerifier, openNote, parseCheckpoint } from '../../src/tlog/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic } from '../staff/staff-fixtures.js';
import { openTestWitness, type TestWitness } from './support/witness-fixture.js';

const ORIGIN = 'renunciation-center.example/log';

describeEachDialect('serve gets its checkpoints cosigned', (dialect) => {
  let t: TestApp;
  let witness: TestWitness;
  let witnessUrl: string;
  let server: RunningServer;
  const key = generateKey(ORIGIN);

  before(async () => {
    t = await createTestApp(dialect);
    witness = await openTestWitness([{ origin: ORIGIN, verifierKey: key.verifierKey }]);
    witnessUrl = await witness.app.listen({ host: '127.0.0.1', port: 0 });
    const down = `http://127.0.0.1:9 ${generateCosignatureKey('down.example/w').verifierKey}`;
    const env = { DATA_DIR: t.dataDir, ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}), PORT: '0', WITNESSES: `${witnessUrl} ${witness.verifierKey}, ${down}` };
    server = await startServer({ ...loadConfig(env), logLevel: 'silent' }, { logKey: { signer: key.signerKey, verifier: key.verifierKey }, witnesses: { pollMs: 60_000 } });
  });
  after(async () => {
    await server.close();
    await witness.close();
    await t.close();
  });

  test('a publication gives a checkpoint that the witness cosigns, served with its cosignature', async () => {
    const editor = await addStaff(t.database, 'witnessed-editor', 'editor');
    for (let round = 1; round <= 2; round++) {
      const submitted = await submitPublic(t.app);
      await approveSubmissions(t.database, [submitted.id], editor.member);
      await server.app.logSequencer.drain();
      const outcomes = await server.witnesses!.drain();
      assert.deepEqual(outcomes.map((o) => o.outcome), ['cosigned', 'unreachable'], JSON.stringify(outcomes));
      const served = await server.app.inject({ method: 'GET', url: '/log/checkpoint' });
      assert.equal(served.statusCode, 200);
      const opened = openNote(served.body, [noteVerifier(key.verifierKey), cosignatureVerifier(witness.verifierKey)]);
      assert.equal(opened.signatures.length, 2, 'the log and the witness');
      assert.equal(parseCheckpoint(opened.text).size, round, `checkpoint ${round}`);
    }
    // Asked again about the same checkpoint, the witness is not bothered.
    assert.equal((await server.witnesses!.drain())[0]!.outcome, 'already cosigned');
  });
});
