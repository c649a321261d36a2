// Threat: one client, with a few connections, asks without pause for whatever costs most — pages
// that are not cached yet, searches, queue views — or just for cache hits, as fast as the
// answers come. Nothing it asks for blocks the event loop for long any more, but together its
// requests take most of the service's time and everyone else waits behind them. Every client
// has a budget of server time (RATE_LIMIT_WORK_MS_PER_SECOND, RATE_LIMIT_WORK_BURST_MS): once it
// is spent, the client is refused (429, from its headers alone, the refusal held a moment) until
// it has earned time back, while every other client is served as before.
//
// The budget's clock is a test clock: nothing here depends on how fast the machine is.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_TRACKED_CLIENTS, MINIMUM_CHARGE_MS, WorkBudget } from '../../src/web/plugins/work-budget.js';
import { loadConfig } from '../../src/config.js';
import { createTestApp, validSubmission, type TestApp } from '../support/app.js';

/** The limits as deployed (the app registers the work budget only when they are on). */
const limitsOn = { rateLimits: { ...loadConfig({}).rateLimits, enabled: true } };

function testClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

describe('the work budget', () => {
  test('a client that spent its budget waits until it has earned it back; others are not touched', () => {
    const clock = testClock();
    const budget = new WorkBudget({ msPerSecond: 20, burstMs: 100 }, clock.now);
    const hostile = budget.clientOf('192.0.2.1');
    const other = budget.clientOf('192.0.2.2');
    budget.charge(hostile, 60);
    assert.equal(budget.waitSeconds(hostile), 0, 'budget left');
    budget.charge(hostile, 80);
    const wait = budget.waitSeconds(hostile);
    assert.ok(wait >= 1, `spent: waits ${wait} s`);
    assert.equal(budget.waitSeconds(other), 0);
    clock.advance(wait * 1000);
    assert.equal(budget.waitSeconds(hostile), 0, 'earned back after the time it was told');
  });

  test('cheap requests count too: every request costs at least the minimum', () => {
    const clock = testClock();
    const budget = new WorkBudget({ msPerSecond: 20, burstMs: 10 }, clock.now);
    const client = budget.clientOf('198.51.100.7');
    const allowed = Math.ceil(10 / MINIMUM_CHARGE_MS);
    for (let i = 0; i < allowed; i++) {
      assert.equal(budget.waitSeconds(client), 0, `request ${i}`);
      budget.charge(client, 0);
    }
    assert.ok(budget.waitSeconds(client) > 0);
  });

  test('one /64 is one client, and the address is never what is kept', () => {
    const budget = new WorkBudget({ msPerSecond: 20, burstMs: 100 });
    assert.equal(budget.clientOf('2001:db8:1:2::1'), budget.clientOf('2001:db8:1:2:ffff::9'));
    assert.notEqual(budget.clientOf('2001:db8:1:2::1'), budget.clientOf('2001:db8:1:3::1'));
    assert.ok(!budget.clientOf('203.0.113.9').includes('203.0.113'));
  });

  test('a flood of new addresses neither refills a spent budget nor grows memory past the bound', () => {
    const clock = testClock();
    const budget = new WorkBudget({ msPerSecond: 20, burstMs: 100 }, clock.now);
    const hostile = budget.clientOf('192.0.2.1');
    budget.charge(hostile, 5_000);
    const waitBefore = budget.waitSeconds(hostile);
    for (let i = 0; i < MAX_TRACKED_CLIENTS * 2 + 1; i++) {
      budget.charge(budget.clientOf(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`), 1);
      if (i % 10_000 === 0) clock.advance(1);
    }
    assert.ok(budget.size <= MAX_TRACKED_CLIENTS, `${budget.size} tracked`);
    assert.ok(budget.waitSeconds(hostile) > 0, 'still spent');
    assert.ok(budget.waitSeconds(hostile) >= waitBefore - 1);
    // A new reader is still served: full memory means "not tracked", never "refused".
    assert.equal(budget.waitSeconds(budget.clientOf('172.16.0.1')), 0);
  });
});

describe('one client cannot take the whole service', () => {
  let t: TestApp;
  const clock = testClock();
  const work = new WorkBudget({ msPerSecond: 1, burstMs: MINIMUM_CHARGE_MS }, clock.now);
  const get = (url: string, remoteAddress: string, language = 'en') =>
    t.app.inject({ method: 'GET', url, remoteAddress, headers: { 'accept-language': language } });
  before(async () => {
    t = await createTestApp('sqlite', limitsOn, { limits: { work, holdRefusalMs: 0 } });
  });
  after(() => t.close());

  test('once its budget is spent a client gets 429 with Retry-After, in its language; another client is served', async () => {
    assert.equal((await get('/en/', '192.0.2.10')).statusCode, 200);
    const refused = await get('/zh-hant/statements', '192.0.2.10', 'zh-Hant');
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.ok(refused.body.includes('請求過於頻繁'), refused.body.slice(0, 300));
    const api = await get('/api/v1/stats', '192.0.2.10');
    assert.equal(api.statusCode, 429);
    assert.equal(api.json().error.code, 'rate_limited');
    assert.equal((await get('/en/', '192.0.2.11')).statusCode, 200, 'another client');
    assert.equal((await get('/healthz', '192.0.2.10')).statusCode, 200, 'monitors are not charged');
    clock.advance(Number(refused.headers['retry-after']) * 1000);
    assert.equal((await get('/en/', '192.0.2.10')).statusCode, 200, 'served again once earned back');
  });

  test('a spent client is refused before its body is read: nothing is parsed, nothing is stored', async () => {
    assert.equal((await get('/en/', '192.0.2.20')).statusCode, 200);
    const before = await t.database.db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const broken = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', remoteAddress: '192.0.2.20', headers: { 'content-type': 'application/json' }, payload: '{"not json' });
    assert.equal(broken.statusCode, 429, 'not 400: the body was never parsed');
    const valid = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', remoteAddress: '192.0.2.20', payload: validSubmission() });
    assert.equal(valid.statusCode, 429);
    const afterRows = await t.database.db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterRows.n), Number(before.n));
  });

  test('staff actions are not charged (bulk approval is long by nature); staff views are', async () => {
    assert.equal((await get('/en/', '192.0.2.30')).statusCode, 200);
    const action = await t.app.inject({ method: 'POST', url: '/api/v1/staff/submissions/1/approve', remoteAddress: '192.0.2.30', payload: {} });
    assert.equal(action.statusCode, 401, 'reaches the staff guard');
    assert.equal((await get('/api/v1/staff/queue', '192.0.2.30')).statusCode, 429);
  });
});

describe('a refusal is held before it is sent', () => {
  let t: TestApp;
  const clock = testClock();
  const HOLD_MS = 200;
  before(async () => {
    const work = new WorkBudget({ msPerSecond: 1, burstMs: MINIMUM_CHARGE_MS }, clock.now);
    t = await createTestApp('sqlite', limitsOn, { limits: { work, holdRefusalMs: HOLD_MS } });
  });
  after(() => t.close());

  test('a client looping on refusals gets at most one a connection per hold', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/en/', remoteAddress: '192.0.2.40' })).statusCode, 200);
    const started = performance.now();
    const refused = await t.app.inject({ method: 'GET', url: '/en/', remoteAddress: '192.0.2.40' });
    const took = performance.now() - started;
    assert.equal(refused.statusCode, 429);
    // Timers never fire early (a lower bound, whatever the machine's speed).
    assert.ok(took >= HOLD_MS - 5, `answered after ${took.toFixed(1)} ms`);
  });
});
