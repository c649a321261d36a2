import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etagOf, PageCache, routeKey } from '../../src/web/page-cache.js';

test('the cache key is the path and the parameters a route read, in its order, defaults left out', () => {
  assert.equal(routeKey('/en/statements'), '/en/statements');
  assert.equal(routeKey('/en/statements', { page: 1 }), '/en/statements');
  assert.equal(routeKey('/en/statements', { page: 2 }), '/en/statements?page=2');
  assert.equal(routeKey('/en/search', { q: '', page: 1 }), '/en/search');
  assert.equal(routeKey('/en/search', { q: '声', page: 2 }), '/en/search?q=%E5%A3%B0&page=2');
  assert.notEqual(routeKey('/en/search', { q: 'a' }), routeKey('/en/search', { q: 'b' }));
  assert.equal(routeKey('/api/v1/statements', { date: undefined, page: 3 }), '/api/v1/statements?page=3');
  // A value cannot smuggle another parameter into the key.
  assert.equal(routeKey('/en/search', { q: 'a&page=2' }), '/en/search?q=a%26page%3D2');
});

test('pages expire, the least recently used go first, and clear() drops everything', () => {
  const cache = new PageCache(2, 1_000);
  cache.set('/a', 'A', 'text/html', 0);
  cache.set('/b', 'B', 'text/html', 0);
  assert.equal(cache.get('/a', 10)?.body, 'A');
  cache.set('/c', 'C', 'text/html', 10);
  assert.equal(cache.get('/b', 20), undefined, 'b was the least recently used');
  assert.equal(cache.get('/a', 20)?.body, 'A');
  assert.equal(cache.get('/a', 1_001), undefined, 'expired');
  cache.clear();
  assert.equal(cache.size, 0);
  assert.equal(cache.get('/c', 20), undefined);
  assert.equal(etagOf('x'), etagOf('x'));
  assert.notEqual(etagOf('x'), etagOf('y'));
});

test('gzip is offered only when Accept-Encoding allows it', async () => {
  const { acceptsGzip } = await import('../../src/web/page-cache.js');
  for (const yes of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8', '*', 'GZIP']) assert.equal(acceptsGzip(yes), true, yes);
  for (const no of [undefined, '', 'br', 'identity', 'gzip;q=0', 'gzip; q=0, br', 'gzipx']) assert.equal(acceptsGzip(no), false, String(no));
});

test('a page is admitted to the cache on its second request only, so single-use pages cannot push hot ones out', () => {
  const cache = new PageCache(2, 1_000);
  assert.equal(cache.admit('/once'), false);
  assert.equal(cache.admit('/once'), true, 'asked for again: kept');
  for (let i = 0; i < 100; i++) assert.equal(cache.admit(`/random/${i}`), false);
  cache.clear();
  assert.equal(cache.admit('/once'), false, 'clear() forgets what was seen');
});

test('a stream of single-use pages: what was seen lately is remembered, what was seen long ago is forgotten', () => {
  const cache = new PageCache(100, 1_000);
  assert.equal(cache.admit('/first'), false);
  for (let i = 0; i < 1_000; i++) assert.equal(cache.admit(`/s/${i}`), false, 'every key is new');
  assert.equal(cache.admit('/first'), false, 'seen 1,000 keys ago: forgotten (at most 400 are kept)');
  // The last 200 keys (two generations of at least maxEntries × 2 / 2) are still known.
  for (let i = 999; i > 999 - 150; i--) assert.equal(cache.admit(`/s/${i}`), true, `/s/${i} was seen lately`);
});

test('a full cache drops its least recently used pages, never a recently used one', () => {
  const cache = new PageCache(50, 60_000);
  for (let i = 0; i < 50; i++) cache.set(`/p/${i}`, `P${i}`, 'text/html', 0);
  for (let i = 0; i < 10; i++) assert.ok(cache.get(`/p/${i}`, 1), 'used again: now the most recent');
  for (let i = 50; i < 60; i++) cache.set(`/p/${i}`, `P${i}`, 'text/html', 2);
  assert.ok(cache.size <= 50);
  for (let i = 0; i < 10; i++) assert.equal(cache.get(`/p/${i}`, 3)?.body, `P${i}`, `/p/${i} was used lately`);
  for (let i = 50; i < 60; i++) assert.equal(cache.get(`/p/${i}`, 3)?.body, `P${i}`, `/p/${i} is new`);
  assert.equal(cache.get('/p/10', 3), undefined, 'the least recently used went first');
});

test('a page built from what was read before the head moved (a retraction) is answered but not kept', async () => {
  let head = 4;
  const cache = new PageCache(10, 60_000, () => head);
  const before = await cache.follow();
  assert.equal(before, 4);
  head = 5; // a publication event committed while the page was being built
  assert.equal(await cache.follow(), 5);
  const page = cache.set('/s/1', 'old', 'text/html', 0, before);
  assert.equal(page.body, 'old');
  assert.equal(cache.get('/s/1', 1), undefined, 'not kept');
  cache.set('/s/1', 'new', 'text/html', 0, 5);
  assert.equal(cache.get('/s/1', 1)?.body, 'new');
});

test('every page is dropped once the publication log’s head moves on, and kept while it stays', async () => {
  let head = 1;
  const cache = new PageCache(10, 60_000, () => Promise.resolve(head));
  cache.set('/a', 'A', 'text/html', 0, await cache.follow());
  assert.equal(await cache.follow(), 1);
  assert.equal(cache.get('/a', 1)?.body, 'A', 'the same head: kept');
  head = 3;
  assert.equal(await cache.follow(), 3);
  assert.equal(cache.get('/a', 1), undefined, 'a newer head: dropped');
  head = 2; // a late answer of an older head never brings old pages back, nor drops new ones
  cache.set('/b', 'B', 'text/html', 0, 3);
  assert.equal(await cache.follow(), 3);
  assert.equal(cache.get('/b', 1)?.body, 'B');
});
