import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { solveChallenge } from 'altcha-lib';
import { ProofOfWork } from '../src/web/plugins/proof-of-work.js';
import { createTestApp, postJson, validSubmission, type TestApp } from './support/app.js';

async function solve(challenge: { algorithm: string; challenge: string; salt: string; signature: string; maxnumber?: number }) {
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
  assert.ok(solution, 'challenge solved');
  return Buffer.from(JSON.stringify({ ...challenge, number: solution.number })).toString('base64');
}

describe('ALTCHA proof-of-work', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { altchaMaxNumber: 2_000 });
  });
  after(() => t.close());

  test('a solved challenge is accepted once, and the statement is not flagged', async () => {
    const challenge = (await t.app.inject({ method: 'GET', url: '/api/v1/challenge' })).json();
    assert.equal(challenge.algorithm, 'SHA-256');
    assert.match(challenge.salt, /expires=\d+/);
    const altcha = await solve(challenge);
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ altcha }));
    assert.equal(response.statusCode, 201, response.body);
    const row = await t.database.db.selectFrom('submission').selectAll().where('id', '=', response.json().id).executeTakeFirstOrThrow();
    assert.deepEqual([row.proof_of_work, row.flagged], [1, 0]);

    const replay = await postJson(t.app, '/api/v1/submissions', validSubmission({ altcha }));
    assert.equal(replay.statusCode, 409);
    assert.deepEqual([replay.json().error.code, replay.json().error.field], ['proof_of_work_replayed', 'altcha']);
  });

  test('a wrong or forged solution is refused and writes nothing', async () => {
    const challenge = (await t.app.inject({ method: 'GET', url: '/api/v1/challenge' })).json();
    const right = JSON.parse(Buffer.from(await solve(challenge), 'base64').toString());
    const wrongNumber = Buffer.from(JSON.stringify({ ...right, number: right.number + 1 })).toString('base64');
    const forged = Buffer.from(JSON.stringify({ ...right, signature: 'f'.repeat(64) })).toString('base64');
    for (const altcha of [wrongNumber, forged, 'not base64 at all', 'e30=']) {
      const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ altcha, title: 'pow-refused' }));
      assert.equal(response.statusCode, 400, altcha);
      assert.equal(response.json().error.code, 'proof_of_work_invalid');
    }
    const stored = await t.database.db.selectFrom('submission').select('id').where('title', '=', 'pow-refused').execute();
    assert.equal(stored.length, 0);
  });

  test('an expired challenge is refused', async () => {
    // altcha-lib checks expiry against the real clock, so issue the challenge 21 minutes in the past.
    const stale = new ProofOfWork({ hmacKey: 'k'.repeat(32), maxNumber: 1_000 }, () => Date.now() - 21 * 60_000);
    const fresh = new ProofOfWork({ hmacKey: 'k'.repeat(32), maxNumber: 1_000 });
    assert.equal(await fresh.verify(await solve(await stale.challenge())), 'invalid');
    assert.equal(await fresh.verify(await solve(await fresh.challenge())), 'verified');
  });

  test('a challenge signed with another key is refused', async () => {
    const other = new ProofOfWork({ hmacKey: 'z'.repeat(32), maxNumber: 1_000 });
    const payload = await solve(await other.challenge());
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ altcha: payload }));
    assert.equal(response.json().error.code, 'proof_of_work_invalid');
  });
});
