// Intake in a real browser (Chromium through playwright-core) against the real server, on both
// dialects: the form with JavaScript off (promise 5), the receipt and retraction (promises 3, 6),
// the proof-of-work with JavaScript on, same-origin requests only, and the layout at 360 px.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page, Response } from 'playwright-core';
import { hashReceipt, parseReceipt } from '../../src/domain/receipt.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { testConfig } from '../support/app.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { browserSkip, launchBrowser } from './browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Written into the tree only when asked (RC_UPDATE_SCREENSHOTS=1), so a test run leaves no tracked file changed.
const SCREENSHOT = process.env.RC_UPDATE_SCREENSHOTS === '1'
  ? path.join(ROOT, 'docs', 'screenshots', 'submit-360.png')
  : path.join(os.tmpdir(), `rc-submit-360-${process.pid}.png`);
const RECEIPT_PATTERN = /^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){4}$/;
const HAN = /\p{Script=Han}/u;
/** Generous, but a hang must end the test rather than the run. */
const TEST_TIMEOUT = 60_000;

interface Person {
  displayName: string;
  nameKind?: 'real' | 'pseudonym';
  organizations: string[];
  region: string;
}

describeEachDialect('intake in a real browser', (dialect) => {
  describe('chromium', { skip: browserSkip }, () => {
    let testDb: TestDatabase;
    let server: RunningServer;
    let browser: Browser;
    let origin: string;
    const contexts: BrowserContext[] = [];
    /** Every URL any page of this suite requested, and every URL a frame navigated to. */
    const requestUrls: string[] = [];
    const navigations: string[] = [];
    /** `Location` headers of every response any page received. */
    const locations: string[] = [];
    /** Console errors about the Content Security Policy. */
    const cspViolations: string[] = [];
    /** Receipts handed out to submissions made with JavaScript off and on. */
    const jsOffReceipts: string[] = [];
    const jsOnReceipts: string[] = [];

    before(async () => {
      testDb = await createTestDatabase(dialect);
      server = await startServer({ ...testConfig(testDb, { logLevel: 'warn' }), port: 0 });
      origin = new URL(server.address).origin;
      browser = await launchBrowser();
    });

    after(async () => {
      for (const context of contexts) await context.close().catch(() => {});
      await browser?.close();
      await server?.close();
      await testDb?.cleanup();
    });

    /** A new page in a new context, with every request, navigation and console error recorded. */
    async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
      const context = await browser.newContext({ locale: 'zh-CN', ...options });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('request', (request) => requestUrls.push(request.url()));
      page.on('framenavigated', (frame) => navigations.push(frame.url()));
      page.on('response', (response) => {
        const location = response.headers()['location'];
        if (location !== undefined) locations.push(location);
      });
      page.on('console', (message) => {
        if (message.type() === 'error' && /content[- ]security[- ]policy/i.test(message.text())) cspViolations.push(message.text());
      });
      return page;
    }

    /** Clicks a submit button and returns the response to the POST navigation it causes. */
    async function submitWith(page: Page, button: Locator): Promise<Response> {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST' && r.frame() === page.mainFrame()),
        button.click(),
      ]);
      await response.finished();
      return response;
    }

    const sendButton = (page: Page) => page.locator('form.submit button[type=submit]:not([name])');
    const addPersonButton = (page: Page) => page.locator('form.submit button[name=action][value=add-person]');

    async function fillPerson(page: Page, index: number, person: Person): Promise<void> {
      await page.locator(`#d${index}-displayName`).fill(person.displayName);
      await page.locator(`input[name="d${index}.nameKind"][value="${person.nameKind ?? 'pseudonym'}"]`).check();
      for (const org of person.organizations) await page.locator(`input[name="d${index}.organizations"][value="${org}"]`).check();
      await page.locator(`#d${index}-region`).selectOption(person.region);
    }

    /** The receipt shown after a successful submission, checked for its shape and caching. */
    async function readReceiptFrom(page: Page, response: Response): Promise<string> {
      assert.equal(response.status(), 201, `submission answered ${response.status()}`);
      assert.match(response.headers()['cache-control'] ?? '', /no-store/, 'the receipt page must never be cached');
      const receipt = (await page.locator('.receipt output').textContent({ timeout: 10_000 }))?.trim() ?? '';
      assert.match(receipt, RECEIPT_PATTERN);
      return receipt;
    }

    async function submissionByReceipt(receipt: string) {
      const canonical = parseReceipt(receipt);
      assert.ok(canonical, `not a receipt: ${receipt}`);
      const row = await testDb.database.db
        .selectFrom('submission')
        .selectAll()
        .where('receipt_hash', '=', hashReceipt(canonical))
        .executeTakeFirst();
      assert.ok(row, 'the submission is stored under the hash of its receipt');
      return row;
    }

    /** The receipt as it could appear in a URL: as shown, canonical, or percent-encoded. */
    function receiptForms(receipt: string): string[] {
      return [receipt, parseReceipt(receipt)!, encodeURIComponent(receipt)].map((s) => s.toUpperCase());
    }

    function assertReceiptNotIn(urls: readonly string[], receipt: string, what: string): void {
      for (const url of urls) {
        for (const form of receiptForms(receipt)) {
          assert.ok(!url.toUpperCase().includes(form), `the receipt appears in ${what}: ${url}`);
        }
      }
    }

    /** Submits one valid statement with JavaScript off; returns the receipt. */
    async function submitWithoutJavaScript(person: Person): Promise<string> {
      const page = await openPage({ javaScriptEnabled: false });
      await page.goto(`${origin}/zh-hans/submit`);
      await fillPerson(page, 0, person);
      const receipt = await readReceiptFrom(page, await submitWith(page, sendButton(page)));
      jsOffReceipts.push(receipt);
      await page.close();
      return receipt;
    }

    test('JavaScript off: an error comes back beside its field with the input kept; the receipt shows status and retracts; never in a URL', { timeout: TEST_TIMEOUT }, async () => {
      const page = await openPage({ javaScriptEnabled: false });
      const pageUrls: string[] = [];
      page.on('request', (request) => pageUrls.push(request.url()));
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) pageUrls.push(frame.url());
      });

      const first = await page.goto(`${origin}/zh-hans/submit`);
      assert.equal(first?.status(), 200);
      assert.equal(await page.locator('input[name=altcha]').inputValue(), '', 'no script ran, so no proof-of-work');

      // Everything but the name.
      const title = '测试标题：我的退出声明';
      const text = '这是一份为浏览器测试而写的合成声明。\n第二行。';
      await page.locator('input[name="d0.organizations"][value="party"]').check();
      await page.locator('input[name="d0.organizations"][value="young_pioneers"]').check();
      await page.locator('#d0-region').selectOption('440000');
      await page.locator('#title').fill(title);
      await page.locator('#text').fill(text);

      const rejected = await submitWith(page, sendButton(page));
      assert.equal(rejected.status(), 400);
      const nameInput = page.locator('#d0-displayName');
      const fieldError = page.locator('#error-declarants-0-displayName');
      await fieldError.waitFor();
      assert.ok(await fieldError.evaluate((el) => el.classList.contains('field-error')), 'the error is a .field-error');
      assert.match((await fieldError.textContent()) ?? '', HAN, 'the error is in the page language (Chinese)');
      assert.equal(await nameInput.getAttribute('aria-invalid'), 'true');
      assert.equal(await nameInput.getAttribute('aria-describedby'), 'error-declarants-0-displayName');
      // Beside the field: in the same fieldset, the element right before the input.
      assert.equal(
        await nameInput.evaluate((input) => input.previousElementSibling?.id ?? null),
        'error-declarants-0-displayName',
      );
      assert.equal(await page.locator('.error-summary').count(), 1, 'a summary at the top as well');
      assert.equal(await page.locator('.field-error').count(), 1, 'only the name is wrong');
      // The rest of the input is kept.
      assert.equal(await page.locator('#d0-region').inputValue(), '440000');
      assert.equal(await page.locator('#title').inputValue(), title);
      assert.equal(await page.locator('#text').inputValue(), text);
      assert.ok(await page.locator('input[name="d0.organizations"][value="party"]').isChecked());
      assert.ok(await page.locator('input[name="d0.organizations"][value="young_pioneers"]').isChecked());
      assert.ok(!(await page.locator('input[name="d0.organizations"][value="youth_league"]').isChecked()));
      assert.ok(await page.locator('input[name="d0.nameKind"][value="pseudonym"]').isChecked());
      const stored = await testDb.database.db.selectFrom('submission').select('id').execute();
      assert.equal(stored.length, jsOffReceipts.length + jsOnReceipts.length, 'a rejected form writes nothing');

      // Corrected and sent again.
      await nameInput.fill('测试者甲');
      const accepted = await submitWith(page, sendButton(page));
      const receipt = await readReceiptFrom(page, accepted);
      jsOffReceipts.push(receipt);

      // Checking the receipt.
      await page.goto(`${origin}/zh-hans/receipt`);
      await page.locator('#receipt').fill(receipt);
      const checked = await submitWith(page, page.locator('form[action="/zh-hans/receipt"] button[type=submit]'));
      assert.equal(checked.status(), 200);
      const pending = page.locator('dd[data-status=pending]');
      await pending.waitFor();
      assert.equal((await pending.textContent())?.trim(), '等待审核');

      // Retracting it.
      const retracted = await submitWith(page, page.locator('form.retract button[type=submit]'));
      assert.equal(retracted.status(), 200);
      await page.locator('.notice[role=status]').waitFor();
      assert.equal((await page.locator('.notice').textContent())?.trim(), '您的声明已撤回。');
      assert.equal(await page.locator('dd[data-status=retracted]').count(), 1);
      assert.equal(await page.locator('dd[data-status=pending]').count(), 0);
      assert.equal(await page.locator('form.retract').count(), 0, 'nothing left to retract');
      assert.equal((await submissionByReceipt(receipt)).status, 'retracted');

      // Never in a URL: not in any request, navigation, redirect, nor the address bar now.
      pageUrls.push(page.url());
      assert.ok(pageUrls.length >= 6, `requests and navigations were recorded (${pageUrls.length})`);
      assertReceiptNotIn(pageUrls, receipt, 'a URL');
      assertReceiptNotIn(locations, receipt, 'a Location header');
      await page.close();
    });

    test('JavaScript off: "add another person" adds a fieldset and a family of two is sent', { timeout: TEST_TIMEOUT }, async () => {
      const page = await openPage({ javaScriptEnabled: false });
      await page.goto(`${origin}/zh-hans/submit`);
      assert.equal(await page.locator('fieldset.declarant').count(), 1);
      await fillPerson(page, 0, { displayName: '王父', nameKind: 'real', organizations: ['party'], region: '110000' });

      const added = await submitWith(page, addPersonButton(page));
      assert.equal(added.status(), 200);
      await page.locator('#d1-displayName').waitFor();
      assert.equal(await page.locator('fieldset.declarant').count(), 2);
      assert.equal(await page.locator('.field-error').count(), 0, 'adding a person is not an error');
      assert.equal(await page.locator('#d0-displayName').inputValue(), '王父', 'the first person is kept');
      assert.ok(await page.locator('input[name="d0.nameKind"][value="real"]').isChecked());
      assert.ok(await page.locator('input[name="d0.organizations"][value="party"]').isChecked());
      assert.equal(await page.locator('#d0-region').inputValue(), '110000');
      assert.equal(await page.locator('#d1-displayName').inputValue(), '');
      assert.equal((await page.locator('fieldset.declarant').nth(1).locator('legend').first().textContent())?.trim(), '第 2 位声明人');
      assert.equal(
        (await testDb.database.db.selectFrom('submission').select('id').execute()).length,
        jsOffReceipts.length + jsOnReceipts.length,
        'adding a person sends nothing',
      );

      await fillPerson(page, 1, { displayName: '王小明', organizations: ['youth_league', 'young_pioneers'], region: '310000' });
      const receipt = await readReceiptFrom(page, await submitWith(page, sendButton(page)));
      jsOffReceipts.push(receipt);

      const submission = await submissionByReceipt(receipt);
      const declarants = await testDb.database.db
        .selectFrom('declarant')
        .selectAll()
        .where('submission_id', '=', submission.id)
        .orderBy('position')
        .execute();
      assert.deepEqual(
        declarants.map((d) => [d.position, d.display_name, d.name_kind, d.party, d.youth_league, d.young_pioneers, d.region]),
        [
          [0, '王父', 'real', 1, 0, 0, '110000'],
          [1, '王小明', 'pseudonym', 0, 1, 1, '310000'],
        ],
      );
      assertReceiptNotIn([...requestUrls, ...navigations, page.url()], receipt, 'a URL');
      await page.close();
    });

    test('JavaScript on: the proof-of-work is solved before sending; stored verified and unflagged, unlike JS-off ones', { timeout: TEST_TIMEOUT }, async () => {
      const page = await openPage({ locale: 'en-US' });
      await page.goto(`${origin}/en/submit`);
      const altcha = page.locator('input[name=altcha]');
      await page.waitForFunction(() => (document.querySelector('input[name=altcha]') as HTMLInputElement | null)?.value !== '', null, {
        timeout: 30_000,
        polling: 100,
      });
      const payload = await altcha.inputValue();
      const solution = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(solution).sort(), ['algorithm', 'challenge', 'number', 'salt', 'signature']);
      assert.equal((await page.locator('.pow-status').textContent())?.trim(), await page.locator('.pow-status').getAttribute('data-done'));

      await fillPerson(page, 0, { displayName: 'Test Person', organizations: ['youth_league'], region: 'overseas' });
      await page.locator('#text').fill('A synthetic statement written for the browser test.');
      const receipt = await readReceiptFrom(page, await submitWith(page, sendButton(page)));
      jsOnReceipts.push(receipt);

      const verified = await submissionByReceipt(receipt);
      assert.equal(verified.proof_of_work, 1);
      assert.equal(verified.flagged, 0);
      assert.equal(verified.language, 'en');

      // JS-off submissions of the tests before; one more when this test runs alone.
      if (jsOffReceipts.length === 0) {
        await submitWithoutJavaScript({ displayName: '测试者乙', organizations: ['party'], region: '510000' });
      }
      for (const jsOff of jsOffReceipts) {
        const row = await submissionByReceipt(jsOff);
        assert.equal(row.proof_of_work, 0, 'no proof-of-work without JavaScript');
        assert.equal(row.flagged, 1, 'flagged for closer review without proof-of-work');
      }
      await page.close();
    });

    test('every request goes to the app itself and no Content Security Policy violation is reported', { timeout: TEST_TIMEOUT }, async () => {
      // Pages of their own, so that this holds when the test runs alone too.
      for (const javaScriptEnabled of [true, false]) {
        const page = await openPage({ javaScriptEnabled });
        for (const address of ['/', '/en/', '/zh-hant/submit', '/zh-hans/receipt', '/en/no-such-page']) await page.goto(`${origin}${address}`);
        if (javaScriptEnabled) {
          await page.goto(`${origin}/zh-hans/submit`);
          await page.waitForFunction(() => (document.querySelector('input[name=altcha]') as HTMLInputElement | null)?.value !== '', null, {
            timeout: 30_000,
            polling: 100,
          });
        }
        await page.close();
      }

      assert.ok(requestUrls.some((u) => u === `${origin}/assets/app.css`), 'the stylesheet was requested (recording works)');
      assert.ok(requestUrls.some((u) => u === `${origin}/assets/proof-of-work.js`), 'the script was requested with JavaScript on');
      assert.ok(requestUrls.some((u) => u === `${origin}/api/v1/challenge`), 'the challenge was fetched with JavaScript on');
      const elsewhere = requestUrls.filter((u) => !u.startsWith(`${origin}/`));
      assert.deepEqual(elsewhere, [], 'requests to another origin');
      const elsewhereNavigations = navigations.filter((u) => u !== 'about:blank' && !u.startsWith(`${origin}/`));
      assert.deepEqual(elsewhereNavigations, [], 'navigations to another origin');
      assert.deepEqual(cspViolations, [], 'Content Security Policy violations in the console');
      for (const receipt of [...jsOffReceipts, ...jsOnReceipts]) {
        assertReceiptNotIn([...requestUrls, ...navigations], receipt, 'a URL');
        assertReceiptNotIn(locations, receipt, 'a Location header');
      }
    });

    test('the submit page fits 360 px without horizontal scrolling (screenshot in docs/screenshots)', { timeout: TEST_TIMEOUT }, async () => {
      const viewport = { width: 360, height: 740 };
      // JavaScript off, as with Tor Browser "Safest": the page as most declarants see it.
      const page = await openPage({ viewport, deviceScaleFactor: 1, javaScriptEnabled: false });
      const widths = () =>
        page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth }));
      let measured: Awaited<ReturnType<typeof widths>>;
      // The English page last, for the screenshot: it stays legible on machines without CJK fonts.
      for (const locale of ['zh-hans', 'zh-hant', 'en']) {
        await page.goto(`${origin}/${locale}/submit`);
        measured = await widths();
        assert.equal(measured.viewport, 360);
        assert.ok(measured.document <= 360, `/${locale}/submit is ${measured.document} px wide at 360 px`);
        assert.ok(measured.body <= 360, `the body of /${locale}/submit is ${measured.body} px wide at 360 px`);
      }
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.ok(fs.statSync(SCREENSHOT).size > 1_000, 'a screenshot was written');
      if (process.env.RC_UPDATE_SCREENSHOTS !== '1') fs.rmSync(SCREENSHOT, { force: true });
      await page.goto(`${origin}/zh-hans/submit`);

      // Still no horizontal scroll with error messages and a family of two.
      await submitWith(page, addPersonButton(page));
      await page.locator('#d1-displayName').waitFor();
      await submitWith(page, sendButton(page));
      await page.locator('.error-summary').waitFor();
      measured = await widths();
      assert.ok(measured.document <= 360, `with errors the page is ${measured.document} px wide at 360 px`);

      // And the receipt, which is one long unbroken word.
      const jsOnPage = await openPage({ viewport, deviceScaleFactor: 1 });
      await jsOnPage.goto(`${origin}/zh-hans/submit`);
      await fillPerson(jsOnPage, 0, { displayName: '测试者丙', organizations: ['party'], region: '440000' });
      const receipt = await readReceiptFrom(jsOnPage, await submitWith(jsOnPage, sendButton(jsOnPage)));
      jsOnReceipts.push(receipt);
      const receiptWidth = await jsOnPage.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(receiptWidth <= 360, `the receipt page is ${receiptWidth} px wide at 360 px`);
      await page.close();
      await jsOnPage.close();
    });
  });
});
