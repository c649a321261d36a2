import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';

/** Parameters no route below reads, and malformed ones of routes that do read them elsewhere. */
const JUNK = '?utm_source=x&page=7&q=zz&date=not-a-day&from=1&_=123';

describeEachDialect('the page cache keys a page only on what its route reads', (dialect) => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  test('a page asked for with junk parameters is the cached page, not a new build (so junk cannot bypass or fill the cache)', async () => {
    const routes = ['/en/stats', '/zh-hans/categories', '/en/methodology', '/api/v1/stats', '/zh-hant/'];
    const cached = new Map<string, string>();
    for (const route of routes) {
      // The cache keeps a page from its second request on.
      await get(`${route}?first=1`);
      const second = await get(`${route}?second=2`);
      assert.equal(second.statusCode, 200, route);
      cached.set(route, second.body);
    }
    // Asked once: not cached (a page is kept from its second request on), so built again below.
    const homeBefore = (await get('/en/')).body;
    // Moves today's count behind the cache's back (no publication event clears it).
    const day = new Date().toISOString().slice(0, 10);
    await t.database.db
      .insertInto('daily_count')
      .values([
        { day, metric: 'persons_published', dimension: 'total', value: '', n: 5 },
        { day, metric: 'persons_published', dimension: 'region', value: '110000', n: 5 },
      ])
      .execute();
    for (const route of routes) {
      const again = await get(`${route}${JUNK}`);
      assert.equal(again.statusCode, 200, route);
      assert.equal(again.body, cached.get(route), `${route}${JUNK} was built again`);
    }
    // The control: a page not cached yet shows the move (the home page counts from the rollups;
    // the API's counter from the transparency log, which no hand-made row moves).
    assert.notEqual((await get('/en/')).body, homeBefore, 'the home page built again shows the move');
    assert.equal(JSON.parse(cached.get('/api/v1/stats')!).total, 0);
  });

  test('page 1 and no page are one entry; a malformed page is the usual error, never a page', async () => {
    await get('/en/statements?page=1');
    const second = await get('/en/statements?x=1');
    assert.equal(second.statusCode, 200);
    const bad = await get('/en/statements?page=01');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /page/);
  });
});
