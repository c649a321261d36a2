import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RateLimiter } from '../src/web/plugins/rate-limiter.js';
import { createTestApp, postForm, postJson, validSubmission, type TestApp } from './support/app.js';

describe('rate limits without trackers', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
    t.config.rateLimits = { enabled: true, verifiedPerHour: 100, unverifiedPerHour: 2, receiptPerHour: 3, openDataPerHour: 30 };
  });
  after(() => t.close());

  test('submissions without proof-of-work: the stricter limit answers 429 with Retry-After', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await postJson(t.app, '/api/v1/submissions', validSubmission())).statusCode, 201);
    const limited = await postJson(t.app, '/api/v1/submissions', validSubmission(), { 'accept-language': 'en' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 3600, String(retryAfter));
    const form = await postForm(t.app, '/zh-hans/submit', [['d0.displayName', '甲'], ['d0.nameKind', 'real'], ['d0.organizations', 'party'], ['d0.region', '110000']]);
    assert.equal(form.statusCode, 429);
    assert.ok(form.body.includes('请求过于频繁'));
    assert.ok(form.body.includes('value="甲"'), 'the form comes back filled in');
    assert.ok(Number(form.headers['retry-after']) > 0);
  });

  test('invalid submissions do not use up the limit of a person correcting their form', async () => {
    const fresh = await createTestApp('sqlite');
    fresh.config.rateLimits = { enabled: true, verifiedPerHour: 100, unverifiedPerHour: 1, receiptPerHour: 3, openDataPerHour: 30 };
    try {
      for (let i = 0; i < 5; i++) assert.equal((await postJson(fresh.app, '/api/v1/submissions', { language: 'en' })).statusCode, 400);
      assert.equal((await postJson(fresh.app, '/api/v1/submissions', validSubmission())).statusCode, 201);
    } finally {
      await fresh.close();
    }
  });

  test('receipt look-ups are limited too', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await postJson(t.app, '/api/v1/receipt', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' })).statusCode);
    assert.deepEqual(codes, [404, 404, 404, 429]);
  });
});

describe('RateLimiter', () => {
  test('keys are HMACs of the address, never the address', () => {
    const limiter = new RateLimiter();
    limiter.hit('b', '198.51.100.23', 5);
    const keys = [...(limiter as unknown as { windows: Map<string, unknown> }).windows.keys()];
    assert.equal(keys.length, 1);
    assert.ok(!keys[0]!.includes('198.51.100.23'));
    assert.match(keys[0]!, /^[A-Za-z0-9_-]{22}$/);
  });

  test('windows reset after an hour and everything is forgotten when the key rotates daily', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    assert.ok(limiter.hit('b', 'a', 1).allowed);
    assert.ok(!limiter.hit('b', 'a', 1).allowed);
    assert.ok(limiter.hit('b', 'other', 1).allowed, 'addresses are counted apart');
    assert.ok(limiter.hit('c', 'a', 1).allowed, 'buckets are counted apart');
    now += 3_600_000;
    assert.ok(limiter.hit('b', 'a', 1).allowed);
    const keyBefore = (limiter as unknown as { key: Buffer }).key;
    now += 24 * 3_600_000;
    limiter.hit('b', 'a', 1);
    assert.notDeepEqual((limiter as unknown as { key: Buffer }).key, keyBefore);
    assert.equal(limiter.size, 1);
  });

  test('memory stays bounded under a flood of distinct addresses', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 250_000; i++) limiter.hit('b', `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 5);
    assert.ok(limiter.size <= 200_000, String(limiter.size));
  });
});
