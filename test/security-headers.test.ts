import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, postForm, postJson, validSubmission, type TestApp } from './support/app.js';

describe('every response carries the security headers and no cookie', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
  });
  after(() => t.close());

  test('pages, API answers, errors, assets and redirects alike', async () => {
    const responses = [
      await t.app.inject({ method: 'GET', url: '/' }),
      await t.app.inject({ method: 'GET', url: '/en/' }),
      await t.app.inject({ method: 'GET', url: '/zh-hans/submit' }),
      await t.app.inject({ method: 'GET', url: '/zh-hant/receipt' }),
      await t.app.inject({ method: 'GET', url: '/assets/app.css' }),
      await t.app.inject({ method: 'GET', url: '/assets/proof-of-work.js' }),
      await t.app.inject({ method: 'GET', url: '/nowhere' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/challenge' }),
      await postJson(t.app, '/api/v1/submissions', validSubmission()),
      await postJson(t.app, '/api/v1/submissions', '{'),
      await postForm(t.app, '/en/submit', [['d0.displayName', 'x']]),
    ];
    for (const response of responses) {
      const h = response.headers;
      const where = `${response.statusCode} ${String(h['content-type'])}`;
      assert.match(String(h['content-security-policy']), /default-src 'self'/, where);
      assert.match(String(h['content-security-policy']), /frame-ancestors 'none'/, where);
      assert.ok(!String(h['content-security-policy']).includes('unsafe-inline'), where);
      assert.equal(h['x-content-type-options'], 'nosniff', where);
      assert.equal(h['referrer-policy'], 'no-referrer', where);
      assert.match(String(h['permissions-policy']), /camera=\(\), .*geolocation=\(\), .*microphone=\(\)/, where);
      assert.equal(h['cross-origin-opener-policy'], 'same-origin', where);
      assert.equal(h['set-cookie'], undefined, where);
    }
  });

  test('pages contain no inline script or style and load nothing from another origin', async () => {
    for (const url of ['/zh-hans/', '/zh-hans/submit', '/en/receipt']) {
      const html = (await t.app.inject({ method: 'GET', url })).body;
      assert.ok(!/<script(?![^>]*\ssrc=)[^>]*>/.test(html), `${url}: inline script`);
      assert.ok(!/<style/.test(html), `${url}: inline style`);
      assert.ok(!/\sstyle=/.test(html), `${url}: style attribute`);
      assert.ok(!/\son[a-z]+=/.test(html), `${url}: event handler attribute`);
      for (const [, link] of html.matchAll(/(?:src|href|action)="([^"]*)"/g)) {
        const sameOrigin = (link!.startsWith('/') && !link!.startsWith('//')) || link!.startsWith('#');
        assert.ok(sameOrigin, `${url}: ${link} is not on this origin`);
      }
    }
  });
});
