// Every public page type in every locale, in a real browser (Chromium through playwright-core)
// against the real `rcenter serve` on a demo database, with JavaScript off as in Tor Browser
// "Safest" (promise 5): the page answers 200 with its heading in the page's language, every
// request it makes goes to the app's own origin, axe-core finds no accessibility violation, and
// at 360 px nothing scrolls sideways.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCALES, type Locale } from '../../src/domain/locales.js';
import { OCCUPATIONS } from '../../src/domain/occupations.js';
import { REGIONS } from '../../src/domain/regions.js';
import { STATS_TEXT } from '../../src/web/i18n/stats-text.js';
import { UI_TEXT } from '../../src/web/i18n/ui-text.js';
import { HTML_LANG } from '../../src/web/views/page-head.js';
import { combinationSlug } from '../../src/web/views/public/categories-page.js';
import { fill, organizationsText } from '../../src/web/views/public/statement-parts.js';
import { ROOT, runCli, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { browserSkip, launchBrowser } from './browser.js';

const AXE_SOURCE_FILE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const HAN = /\p{Script=Han}/u;
const PEOPLE = 400;
const CASE_TIMEOUT = 60_000;

/** A published statement as GET /api/v1/statements/{n} returns it. */
interface ApiStatement {
  registrationNumber: number;
  publishedOn: string;
  language: string;
  title: string | null;
  text: string | null;
  featured: boolean;
  declarants: { displayName: string; nameKind: string; organizations: string[]; region: string; occupation: string | null }[];
}

/** Real data from the demo database that each page type is shown with. */
interface Sample {
  /** A statement of several people, at least one with an occupation. */
  statement: ApiStatement;
  /** A featured article (title, byline). */
  article: ApiStatement;
  region: string;
  occupation: string;
  organizations: string;
  /** Search terms that find something: an English word and a Chinese one. */
  searchEn: string;
  searchZh: string;
}

/** One page type: its path under /{locale} and the h1 it must show. */
interface PageCase {
  name: string;
  path: (locale: Locale) => string;
  /** The h1 in the interface language, or 'user-text' when the h1 is the statement's own title. */
  h1: (locale: Locale) => string | 'user-text';
  /** Further checks on the loaded page. */
  check?: (page: Page, locale: Locale) => Promise<void>;
}

/**
 * Timers never fire while scripts are disabled, and axe waits on them; so before axe is
 * evaluated (through the DevTools protocol, which JavaScript-off and the CSP do not stop), short
 * timers become promise jobs, which still run, and long ones (axe's own time-outs) never fire.
 * MutationObserver and MessageChannel callbacks do not run either: without them axe's promise
 * scheduling falls back to setTimeout.
 */
function prepareForAxe(): void {
  const w = window as unknown as Record<string, unknown>;
  let id = 0;
  w.setTimeout = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (!ms || ms <= 1) void Promise.resolve().then(() => fn(...args));
    return ++id;
  };
  w.clearTimeout = () => {};
  w.MutationObserver = undefined;
  w.WebKitMutationObserver = undefined;
  w.MessageChannel = undefined;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string; html: string }[];
}

async function runAxe(page: Page, axeSource: string): Promise<AxeViolation[]> {
  await page.evaluate(prepareForAxe);
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  });
}

function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html}\n      ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

describe('public pages in a real browser, JavaScript off', { skip: browserSkip }, () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let origin: string;
  let axeSource: string;
  let sample: Sample;
  const contexts: BrowserContext[] = [];

  async function getJson<T>(address: string): Promise<T> {
    const response = await fetch(`${origin}${address}`);
    assert.equal(response.status, 200, `${address} answered ${response.status}`);
    return (await response.json()) as T;
  }

  /** Real data for every page type, read through the public API and pages like any reader. */
  async function findSample(): Promise<Sample> {
    const articlesHtml = await (await fetch(`${origin}/en/articles`)).text();
    const articleNumber = /href="\/en\/s\/(\d+)"/.exec(articlesHtml)?.[1];
    assert.ok(articleNumber, 'the demo database has a featured article');
    const article = await getJson<ApiStatement>(`/api/v1/statements/${articleNumber}`);
    assert.ok(article.featured && article.title, 'the article is featured and has a title');

    const stats = await getJson<{ total: number }>('/api/v1/stats');
    assert.ok(stats.total >= PEOPLE * 0.9, `the demo published about ${PEOPLE} persons (${stats.total})`);
    let statement: ApiStatement | undefined;
    let english: ApiStatement | undefined;
    let chinese: ApiStatement | undefined;
    for (let n = 1; n <= 200 && !(statement && english && chinese); n++) {
      const s = await getJson<ApiStatement>(`/api/v1/statements/${n}`);
      if (!statement && !s.featured && s.declarants.length >= 2 && s.declarants.some((d) => d.occupation) && s.text) statement = s;
      if (!english && s.language === 'en' && s.text) english = s;
      if (!chinese && s.language === 'zh-hans' && s.text && HAN.test(s.text)) chinese = s;
    }
    assert.ok(statement && english && chinese, 'the demo database has statements of several people, in English and in Chinese');
    const declarant = statement.declarants.find((d) => d.occupation)!;
    // The longest word of an English text, and the first two Han characters of a Chinese one.
    const searchEn = english.text!.match(/[A-Za-z]{5,}/g)!.sort((a, b) => b.length - a.length)[0]!;
    const searchZh = /\p{Script=Han}{2}/u.exec(chinese.text!)![0];
    return {
      statement,
      article,
      region: declarant.region,
      occupation: declarant.occupation!,
      organizations: combinationSlug(declarant.organizations as Parameters<typeof combinationSlug>[0]),
      searchEn,
      searchZh,
    };
  }

  before(async () => {
    axeSource = fs.readFileSync(AXE_SOURCE_FILE, 'utf8');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-public-browser-'));
    const demo = await runCli(['demo', '--people', String(PEOPLE), '--data-dir', dataDir], {}, 120_000);
    assert.equal(demo.code, 0, `rcenter demo failed: ${demo.stderr}`);
    server = await startServerProcess({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn' } });
    origin = new URL(server.url).origin;
    sample = await findSample();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const statementEntries = async (page: Page, at_least = 1) => {
    const entries = await page.locator('article.entry').count();
    assert.ok(entries >= at_least, `${entries} statements listed`);
  };

  const PAGES: PageCase[] = [
    {
      name: 'home',
      path: () => '/',
      h1: (l) => UI_TEXT[l].siteName,
      check: async (page, locale) => {
        assert.equal(await page.locator('.count .total strong').count(), 1, 'the count is shown');
        await statementEntries(page);
        assert.ok((await page.locator(`section[aria-labelledby=featured] a[href^="/${locale}/s/"]`).count()) >= 1, 'featured articles are linked');
      },
    },
    { name: 'latest statements', path: () => '/statements', h1: (l) => UI_TEXT[l].latestTitle, check: (page) => statementEntries(page, 10) },
    {
      name: "a day's list",
      path: () => `/statements/${sample.statement.publishedOn}`,
      h1: (l) => fill(UI_TEXT[l].dayTitle, { day: sample.statement.publishedOn }),
      check: async (page, locale) => {
        await statementEntries(page);
        assert.equal(await page.locator(`article.entry a[href="/${locale}/s/${sample.statement.registrationNumber}"]`).count() >= 1, true, 'the statement is in its day');
      },
    },
    {
      name: 'a statement of several people',
      path: () => `/s/${sample.statement.registrationNumber}`,
      h1: (l) => (sample.statement.title ? 'user-text' : fill(UI_TEXT[l].statementTitle, { n: sample.statement.registrationNumber })),
      check: async (page) => {
        assert.equal(await page.locator('ul.declarants li').count(), sample.statement.declarants.length, 'every declarant is listed');
      },
    },
    {
      name: 'a featured article',
      path: () => `/s/${sample.article.registrationNumber}`,
      h1: () => 'user-text',
      check: async (page) => {
        assert.equal(await page.locator('article.statement .byline').count(), 1, 'an article has a byline');
      },
    },
    { name: 'articles', path: () => '/articles', h1: (l) => UI_TEXT[l].featuredTitle, check: (page) => statementEntries(page) },
    { name: 'categories', path: () => '/categories', h1: (l) => UI_TEXT[l].navCategories },
    {
      name: 'a region',
      path: () => `/categories/regions/${sample.region}`,
      h1: (l) => REGIONS.find(([code]) => code === sample.region)![1][l],
      check: (page) => statementEntries(page),
    },
    {
      name: 'an occupation',
      path: () => `/categories/occupations/${sample.occupation}`,
      h1: (l) => OCCUPATIONS.find(([code]) => code === sample.occupation)![1][l],
      check: (page) => statementEntries(page),
    },
    {
      name: 'a combination of organisations',
      path: () => `/categories/organizations/${sample.organizations}`,
      h1: (l) => organizationsText(sample.organizations.split('+') as Parameters<typeof organizationsText>[0], l),
      check: (page) => statementEntries(page),
    },
    { name: 'search form', path: () => '/search', h1: (l) => UI_TEXT[l].navSearch },
    {
      name: 'search results',
      path: (l) => `/search?q=${encodeURIComponent(l === 'en' ? sample.searchEn : sample.searchZh)}`,
      h1: (l) => UI_TEXT[l].navSearch,
      check: async (page) => {
        await statementEntries(page);
        assert.ok((await page.locator('article.entry mark').count()) >= 1, 'the terms are highlighted');
      },
    },
    {
      // The query is shown back in a heading: a long unbroken word must wrap, not widen the page.
      name: 'search for one long word',
      path: () => `/search?q=${'x'.repeat(100)}`,
      h1: (l) => UI_TEXT[l].navSearch,
      check: async (page) => assert.equal(await page.locator('#results').count(), 1, 'the query is shown back'),
    },
    {
      name: 'statistics',
      path: () => '/stats',
      h1: (l) => STATS_TEXT[l].statsTitle,
      check: async (page) => assert.ok((await page.locator('svg').count()) >= 1, 'the charts are drawn on the server'),
    },
    { name: 'methodology', path: () => '/methodology', h1: (l) => STATS_TEXT[l].methodTitle },
    { name: 'submit', path: () => '/submit', h1: (l) => UI_TEXT[l].submitTitle },
    { name: 'receipt', path: () => '/receipt', h1: (l) => UI_TEXT[l].receiptTitle },
  ];

  test('axe-core runs with JavaScript off and finds a planted violation', { timeout: CASE_TIMEOUT }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${origin}/en/`);
    assert.equal(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe), 'undefined');
    await page.evaluate(() => document.querySelector('main')!.append(document.createElement('img')));
    const violations = await runAxe(page, axeSource);
    assert.ok(
      violations.some((v) => v.id === 'image-alt'),
      `axe must report an image without alt text; it reported: ${violations.map((v) => v.id).join(', ') || 'nothing'}`,
    );
    await context.close();
  });

  for (const pageCase of PAGES) {
    for (const locale of LOCALES) {
      test(`${pageCase.name}, /${locale}`, { timeout: CASE_TIMEOUT }, async () => {
        const address = `/${locale}${pageCase.path(locale)}`;
        const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 }, deviceScaleFactor: 1 });
        contexts.push(context);
        context.setDefaultTimeout(15_000);
        const page = await context.newPage();
        const requests: string[] = [];
        const cspViolations: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        page.on('console', (message) => {
          if (/content[- ]security[- ]policy/i.test(message.text())) cspViolations.push(message.text());
        });

        const response = await page.goto(`${origin}${address}`, { waitUntil: 'load' });
        assert.equal(response?.status(), 200, `${address} answered ${response?.status()}`);
        assert.equal(await page.evaluate(() => document.documentElement.lang), HTML_LANG[locale], 'html lang');

        // The heading: one h1, in the page's language (or the statement's own title, marked with its language).
        const h1 = page.locator('h1');
        assert.equal(await h1.count(), 1, 'exactly one h1');
        const h1Text = ((await h1.textContent()) ?? '').trim();
        const expected = pageCase.h1(locale);
        if (expected === 'user-text') {
          assert.ok(h1Text.length > 0, 'the h1 is not empty');
          assert.ok(await h1.getAttribute('lang'), 'a title in the author\'s words carries its own lang');
        } else {
          assert.equal(h1Text, expected, 'the h1 in the page language');
          assert.equal(HAN.test(h1Text), locale !== 'en', 'the h1 is in the script of the page');
        }
        await pageCase.check?.(page, locale);

        // Nothing but the app itself.
        assert.ok(requests.includes(`${origin}/assets/app.css`), 'the stylesheet was requested (recording works)');
        assert.deepEqual(requests.filter((u) => !u.startsWith(`${origin}/`)), [], `${address} made requests to another origin`);
        assert.deepEqual(cspViolations, [], 'Content Security Policy violations');

        // No sideways scrolling on a 360 px phone.
        const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth }));
        assert.equal(widths.viewport, 360);
        assert.ok(widths.document <= 360 && widths.body <= 360, `${address} is ${widths.document} px wide (body ${widths.body} px) at 360 px`);

        // Accessibility, at desktop width, on the page as it is without JavaScript.
        await page.setViewportSize({ width: 1280, height: 900 });
        const violations = await runAxe(page, axeSource);
        assert.equal(violations.length, 0, `axe-core on ${address}:\n${describeViolations(violations)}`);
        await context.close();
      });
    }
  }
});
