import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { featureStatement } from '../src/commands/publication/statement-featurer.js';
import { approveSubmissions } from '../src/commands/publication/submission-approver.js';
import { SECURITY_HEADERS } from '../src/web/plugins/security-headers.js';
import { addStaff, submitPublic } from './staff/staff-fixtures.js';
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

// Promise 5 on every public page, not a sample: every GET route under /{locale}/ (from the
// routes the app registered, so a new page is covered or this test says it does not know it),
// in every locale, with a published, featured statement on it.
describe('every public page in every locale: no inline script or style, nothing from another origin, the exact CSP', () => {
  let t: TestApp;
  let number: number;
  before(async () => {
    t = await createTestApp('sqlite');
    const editor = await addStaff(t.database, 'headers-editor', 'editor');
    const submitted = await submitPublic(t.app, { title: '页面检查', text: '第一段。\n\n第二段。' });
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    number = published!.registrationNumber;
    await featureStatement(t.database, submitted.id, true, editor.member);
  });
  after(() => t.close());

  /** A real address for each public route pattern; a pattern not listed here fails the test. */
  const fill = (pattern: string, locale: string): string[] | undefined => {
    const today = new Date().toISOString().slice(0, 10);
    const pages: Record<string, string[]> = {
      '/:locale/': ['/'],
      '/:locale/articles': ['/articles'],
      '/:locale/categories': ['/categories'],
      '/:locale/categories/:kind/:value': ['/categories/regions/440000', '/categories/organizations/party', '/categories/occupations/education'],
      '/:locale/methodology': ['/methodology'],
      '/:locale/receipt': ['/receipt'],
      '/:locale/s/:number': [`/s/${number}`],
      '/:locale/search': ['/search', `/search?q=${encodeURIComponent('页面')}`],
      '/:locale/statements': ['/statements'],
      '/:locale/statements/:day': [`/statements/${today}`],
      '/:locale/stats': ['/stats'],
      '/:locale/submit': ['/submit'],
    };
    return pages[pattern]?.map((page) => `/${locale}${page}`);
  };

  test('each page', async () => {
    const patterns = t.app.registeredRoutes
      .filter((r) => r.method === 'GET' && r.url.startsWith('/:locale/') && !/\.(atom|xml|json|csv)$/.test(r.url))
      .map((r) => r.url);
    assert.ok(patterns.length >= 10, `only ${patterns.length} public page routes found`);
    for (const pattern of patterns) {
      for (const locale of ['zh-hans', 'zh-hant', 'en']) {
        const urls = fill(pattern, locale);
        assert.ok(urls, `${pattern}: a public page this test does not know; add an address for it`);
        for (const url of urls) {
          const response = await t.app.inject({ method: 'GET', url });
          assert.equal(response.statusCode, 200, `${url}: ${response.statusCode}`);
          assert.equal(response.headers['content-security-policy'], SECURITY_HEADERS['content-security-policy'], `${url}: CSP`);
          const html = response.body;
          assert.ok(!/<script(?![^>]*\ssrc=)[^>]*>/.test(html), `${url}: inline script`);
          assert.ok(!/<style/.test(html), `${url}: inline style`);
          assert.ok(!/\sstyle=/.test(html), `${url}: style attribute`);
          assert.ok(!/\son[a-z]+=/.test(html), `${url}: event handler attribute`);
          for (const [, link] of html.matchAll(/(?:src|href|action|data|poster|srcset)="([^"]*)"/g)) {
            const sameOrigin = (link!.startsWith('/') && !link!.startsWith('//')) || link!.startsWith('#');
            assert.ok(sameOrigin, `${url}: ${link} is not on this origin`);
          }
        }
      }
    }
  });

  test('the CSP lets every kind of resource come from this origin only', () => {
    const directives = SECURITY_HEADERS['content-security-policy']!.split(';').map((d) => d.trim().split(/\s+/));
    for (const [name, ...sources] of directives) {
      if (name!.endsWith('-src') || name === 'form-action' || name === 'base-uri' || name === 'frame-ancestors') {
        assert.ok(sources.length > 0 && sources.every((s) => s === "'self'" || s === "'none'"), `${name}: ${sources.join(' ')}`);
      }
    }
    assert.ok(directives.some(([name, ...sources]) => name === 'default-src' && sources.join(' ') === "'self'"));
  });
});
