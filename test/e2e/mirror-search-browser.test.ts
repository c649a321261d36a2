// A mirror's search (issue 15, docs/mirror.md), in a real Chromium: served by a plain static
// server under a path prefix, the search page of an export answers with the static Pagefind index —
// an English word on the English page, a Chinese one on the Simplified page and, in its own script,
// on the Traditional page — each result a link to the statement's page on the mirror. Every request
// stays on the mirror's origin. With JavaScript off the page still leads to the day lists and categories.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { logIdentity, type LogKey } from '../../src/commands/log/log-identity.js';
import { integratePending } from '../../src/commands/log/log-sequencer.js';
import { exportSite, type SiteRenderer } from '../../src/commands/mirror/site-exporter.js';
import { toTraditional } from '../../src/domain/script-conversion.js';
import { generateKey } from '../../src/tlog/index.js';
import { mirrorRenderer } from '../../src/web/mirror-renderer.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { serveDirectory } from '../support/static-server.js';
import { browserSkip, launchBrowser } from './browser.js';

const ORIGIN = 'search-test.example/log';
const PREFIX = '/some/prefix/';

interface DayStatement {
  registrationNumber: number;
  language: string;
  text: string | null;
}

describe('a mirror’s search page answers from its static index', { skip: browserSkip }, () => {
  let t: TestApp;
  let renderer: SiteRenderer;
  let work: string;
  let served: { url: string; close(): Promise<void> };
  let browser: Browser;
  let statements: DayStatement[];

  before(async () => {
    const pair = generateKey(ORIGIN);
    const key: LogKey = { signer: pair.signerKey, verifier: pair.verifierKey };
    t = await createTestApp('sqlite', {}, { logKey: key });
    await fillDemo(t.database, { people: 60, seed: 17, append: false });
    const log = logIdentity(ORIGIN, key);
    await integratePending(t.database, log);
    renderer = await mirrorRenderer(t.config, t.database, key);
    work = await mkdtemp(path.join(os.tmpdir(), 'rc-mirror-search-'));
    const dir = path.join(work, 'mirror');
    await exportSite(t.database, log, renderer, { dir });
    statements = [];
    for (const file of await readdir(path.join(dir, 'api/v1/statements'))) {
      if (file.endsWith('.json')) statements.push(...(JSON.parse(await readFile(path.join(dir, 'api/v1/statements', file), 'utf8')) as { statements: DayStatement[] }).statements);
    }
    served = await serveDirectory(dir, PREFIX);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await served?.close();
    await renderer?.close();
    await t?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Searches `query` on the locale's search page; the statement numbers of the result links, and every origin asked. */
  const search = async (locale: string, query: string) => {
    const context = await browser.newContext();
    const origins = new Set<string>();
    context.on('request', (request) => origins.add(new URL(request.url()).origin));
    try {
      const page = await context.newPage();
      await page.goto(`${served.url}${locale}/search.html`);
      await page.fill('.pagefind-ui__search-input', query);
      await page.waitForSelector('.pagefind-ui__result-link', { timeout: 20_000 });
      const links = await page.$$eval('.pagefind-ui__result-link', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      return { links, origins };
    } finally {
      await context.close();
    }
  };
  const numbersOf = (links: string[], locale: string) =>
    links.map((href) => {
      const match = new RegExp(`^${served.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${locale}/s/(\\d+)\\.html$`).exec(href);
      assert.ok(match, `a result links to a statement page of the mirror, under its prefix: ${href}`);
      return Number(match[1]);
    });

  test('an English word finds the English statements that hold it', async () => {
    const english = statements.find((s) => s.language === 'en' && s.text && /\b[A-Za-z]{8,}\b/.test(s.text))!;
    assert.ok(english, 'the demo has an English statement');
    const word = /\b([A-Za-z]{8,})\b/.exec(english.text!)![1]!;
    const { links, origins } = await search('en', word);
    const numbers = numbersOf(links, 'en');
    assert.ok(numbers.length > 0);
    for (const n of numbers) {
      const found = statements.find((s) => s.registrationNumber === n)!;
      assert.match(found.text ?? '', new RegExp(word.slice(0, 6), 'i'), `statement ${n} holds "${word}"`);
    }
    assert.deepEqual([...origins], [new URL(served.url).origin], 'nothing asked of another origin');
  });

  test('a Chinese word finds its statements on the Simplified page, and in Traditional on the Traditional page', async () => {
    const chinese = statements.find((s) => s.language === 'zh-hans' && s.text && /\p{Script=Han}{4}/u.test(s.text))!;
    assert.ok(chinese, 'the demo has a Chinese statement');
    const word = /(\p{Script=Han}{2})/u.exec(chinese.text!)![1]!;
    const simplified = numbersOf((await search('zh-hans', word)).links, 'zh-hans');
    assert.ok(simplified.length > 0, `"${word}" finds something`);
    const traditional = numbersOf((await search('zh-hant', toTraditional(word))).links, 'zh-hant');
    assert.ok(traditional.length > 0, `"${toTraditional(word)}" finds something on the Traditional pages`);
  });

  test('with JavaScript off, the search page leads to the day lists and categories', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${served.url}en/search.html`);
      const hrefs = await page.$$eval('main a', (as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')));
      assert.ok(hrefs.includes('statements.html') && hrefs.includes('categories.html'), JSON.stringify(hrefs));
    } finally {
      await context.close();
    }
  });
});
