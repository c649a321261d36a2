import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_KEYS_PER_BUCKET, networkOf, RateLimiter } from '../src/web/plugins/rate-limiter.js';
import { createTestApp, postForm, postJson, validSubmission, type TestApp } from './support/app.js';

describe('rate limits without trackers', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
    t.config.rateLimits = { enabled: true, verifiedPerHour: 100, unverifiedPerHour: 2, receiptPerHour: 3, openDataPerHour: 30, workMsPerSecond: 0, workBurstMs: 1 };
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
    fresh.config.rateLimits = { enabled: true, verifiedPerHour: 100, unverifiedPerHour: 1, receiptPerHour: 3, openDataPerHour: 30, workMsPerSecond: 0, workBurstMs: 1 };
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
    const buckets = (limiter as unknown as { buckets: Map<string, Map<string, unknown>> }).buckets;
    const keys = [...buckets.get('b')!.keys()];
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
    assert.ok(limiter.size <= MAX_KEYS_PER_BUCKET, String(limiter.size));
  });

  test('a full bucket refuses new keys and keeps its old windows; ended windows make room', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now, 100);
    for (let i = 0; i < 3; i++) limiter.hit('b', 'old', 3);
    assert.equal(limiter.check('b', 'old', 3).allowed, false);
    now += 1_000;
    for (let i = 0; i < 99; i++) assert.ok(limiter.hit('b', `new-${i}`, 3).allowed);
    assert.equal(limiter.size, 100);
    const refused = limiter.hit('b', 'one too many', 3);
    assert.equal(refused.allowed, false, 'a full bucket took a new key');
    assert.ok(refused.retryAfterSeconds > 0 && refused.retryAfterSeconds <= 3_600, String(refused.retryAfterSeconds));
    assert.equal(limiter.check('b', 'one too many', 3).allowed, false, 'check agrees with hit');
    assert.equal(limiter.hit('b', 'old', 3).allowed, false, 'the old window was forgotten');
    assert.ok(limiter.hit('b', 'new-0', 3).allowed, 'windows already there go on counting');
    assert.ok(limiter.hit('other bucket', 'one too many', 3).allowed, 'another bucket has room of its own');
    assert.equal(limiter.size, 101);
    // The oldest window ends: its place is free again, and only its place.
    now = 3_600_000;
    assert.ok(limiter.hit('b', 'one too many', 3).allowed);
    assert.equal(limiter.hit('b', 'and another', 3).allowed, false);
  });

  test('an IPv6 client is counted by its /64, so one line cannot fill a bucket alone', () => {
    const limiter = new RateLimiter();
    assert.ok(limiter.hit('b', '2001:db8:1:2::1', 2).allowed);
    assert.ok(limiter.hit('b', '2001:db8:1:2:ffff:0:0:9', 2).allowed);
    assert.equal(limiter.hit('b', '2001:0db8:0001:0002:1234::', 2).allowed, false, 'another address of the same /64');
    assert.ok(limiter.hit('b', '2001:db8:1:3::1', 2).allowed, 'another /64 is another client');
    assert.equal(limiter.size, 2);
    assert.equal(networkOf('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(networkOf('192.0.2.1'), '192.0.2.1');
    assert.equal(networkOf('not an address: a name'), 'not an address: a name');
  });
});
