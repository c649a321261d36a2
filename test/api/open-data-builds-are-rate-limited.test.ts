import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays } from '../../src/domain/open-data.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';

const today = () => new Date().toISOString().slice(0, 10);

describeEachDialect('open data: ranges are canonical and files put together are limited per client', (dialect) => {
  let t: TestApp;
  const get = (url: string, remoteAddress = '127.0.0.1') => t.app.inject({ method: 'GET', url, remoteAddress, headers: { 'accept-language': 'en' } });

  before(async () => {
    t = await createTestApp(dialect);
    t.config.rateLimits = { ...t.config.rateLimits, enabled: true, openDataPerHour: 3 };
  });
  after(() => t.close());

  test('an end after today, an absent end and junk parameters are one file: built twice (the cache keeps it from then), then served', async () => {
    const from = addDays(today(), -3);
    const urls = [
      `/api/v1/open-data/daily.json?from=${from}&to=${addDays(today(), 5)}`,
      `/api/v1/open-data/daily.json?from=${from}&to=${addDays(today(), 40)}`,
      `/api/v1/open-data/daily.json?from=${from}&junk=1&page=2`,
      `/api/v1/open-data/daily.json?to=${today()}&from=${from}`,
    ];
    for (const url of urls) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      assert.deepEqual([response.json().from, response.json().to], [from, today()], url);
    }
  });

  test('past the limit, a file not cached is a 429 rate_limited with Retry-After; a cached one and another client are served', async () => {
    assert.equal((await get('/api/v1/open-data/daily.csv?from=2025-01-01&to=2025-01-31')).statusCode, 200);
    const limited = await get('/api/v1/open-data/daily.csv?from=2025-02-01&to=2025-02-28');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.match(limited.json().error.message, /Too many requests/);
    assert.equal((await get(`/api/v1/open-data/daily.json?from=${addDays(today(), -3)}`)).statusCode, 200, 'cached: not counted');
    assert.equal((await get('/api/v1/open-data/daily.csv?from=2025-02-01&to=2025-02-28', '192.0.2.7')).statusCode, 200);
  });
});
