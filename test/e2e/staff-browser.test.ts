// The staff console in a real browser (Chromium through playwright-core) against the real
// server, on both dialects: an editor signs in with password and TOTP, approves submissions in
// the queue (by button, and by keyboard with /assets/staff-keys.js), and the declarant's receipt
// page shows each as published with its registration number. No CSP violation on staff pages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server.js';
import { testConfig, validSubmission } from '../support/app.js';
import { createStaff, totpCode, type TestStaff } from '../support/console-session.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { browserSkip, launchBrowser } from './browser.js';

const TEST_TIMEOUT = 90_000;

describeEachDialect('staff console in a real browser', (dialect) => {
  describe('chromium', { skip: browserSkip }, () => {
    let testDb: TestDatabase;
    let server: RunningServer;
    let browser: Browser;
    let origin: string;
    let editor: TestStaff;
    const contexts: BrowserContext[] = [];
    const requestUrls: string[] = [];
    const cspViolations: string[] = [];

    before(async () => {
      testDb = await createTestDatabase(dialect);
      server = await startServer({ ...testConfig(testDb, { logLevel: 'warn' }), port: 0 });
      origin = new URL(server.address).origin;
      editor = await createStaff(server.database, 'editor');
      browser = await launchBrowser();
    });

    after(async () => {
      for (const context of contexts) await context.close().catch(() => {});
      await browser?.close();
      await server?.close();
      await testDb?.cleanup();
    });

    async function openPage(): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: true });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('request', (request) => requestUrls.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error' && /content[- ]security[- ]policy/i.test(message.text())) cspViolations.push(message.text());
      });
      page.on('pageerror', (error) => cspViolations.push(`page error: ${error.message}`));
      return { context, page };
    }

    async function submitStatement(displayName: string): Promise<{ id: string; receipt: string }> {
      const person = { displayName, nameKind: 'pseudonym', organizations: ['party'], region: '440000' };
      const response = await fetch(`${origin}/api/v1/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validSubmission({ language: 'en', declarants: [person] })),
      });
      assert.equal(response.status, 201);
      return (await response.json()) as { id: string; receipt: string };
    }

    async function registrationNumberOf(id: string): Promise<number> {
      const row = await server.database.db.selectFrom('submission').select(['status', 'registration_number']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'published');
      return row.registration_number!;
    }

    /** What the declarant sees on /en/receipt after typing the receipt in. */
    async function checkReceipt(receipt: string, number: number): Promise<void> {
      const { page } = await openPage();
      await page.goto(`${origin}/en/receipt`);
      await page.locator('#receipt').fill(receipt);
      await Promise.all([page.waitForURL(`${origin}/en/receipt`), page.locator('form[action="/en/receipt"] button[type=submit]').click()]);
      await page.locator('dd[data-status=published]').waitFor();
      assert.equal((await page.locator('dd[data-status=published]').textContent())?.trim(), 'Published');
      assert.match((await page.locator('dl.status').textContent()) ?? '', new RegExp(`Registration numbers\\s*${number}\\b`));
      await page.close();
    }

    test('an editor signs in with password and TOTP, approves in the queue, and the receipt shows the statement published with its number', { timeout: TEST_TIMEOUT }, async () => {
      const first = await submitStatement('Browser Person One');
      const second = await submitStatement('Browser Person Two');
      const { context, page } = await openPage();

      await page.goto(`${origin}/staff/queue`);
      assert.equal(await page.locator('a[href="/staff/sign-in"]').count(), 1, 'signed out: a link to sign in');
      await page.goto(`${origin}/staff/sign-in`);
      assert.deepEqual(await context.cookies(), [], 'the sign-in page sets no cookie');
      await page.locator('#name').fill(editor.name);
      await page.locator('#password').fill(editor.password);
      await page.locator('#code').fill(await totpCode(editor.secret!));
      await Promise.all([page.waitForURL(`${origin}/staff/`), page.locator('form.sign-in button[type=submit]').click()]);
      const [cookie] = await context.cookies();
      assert.equal(cookie?.name, 'rc_staff');
      assert.equal(cookie?.httpOnly, true);
      assert.equal(cookie?.sameSite, 'Strict');
      assert.equal(cookie?.path, '/staff');

      await Promise.all([page.waitForURL(`${origin}/staff/queue`), page.locator('header nav a[href="/staff/queue"]').click()]);
      const firstItem = page.locator(`#item-${first.id}`);
      await firstItem.waitFor();
      await Promise.all([page.waitForURL(/\/staff\/queue\?done=approved/), firstItem.locator('form.approve button').click()]);
      const firstNumber = await registrationNumberOf(first.id);
      assert.equal((await page.locator('.notice').textContent())?.trim(), `Published. Registration number: ${firstNumber}.`);
      assert.equal(await page.locator(`#item-${first.id}`).count(), 0, 'no longer in the queue');

      // The keyboard: j focuses the (now first) item, a approves it.
      await page.locator(`#item-${second.id}`).waitFor();
      await page.keyboard.press('j');
      assert.equal(await page.evaluate(() => document.activeElement?.id), `item-${second.id}`);
      // (The address already says done=approved: wait for the new page itself.)
      await Promise.all([page.waitForResponse((r) => r.request().method() === 'GET' && r.url().includes('/staff/queue?done=approved')), page.keyboard.press('a')]);
      await page.waitForLoadState();
      const secondNumber = await registrationNumberOf(second.id);
      assert.equal(secondNumber, firstNumber + 1);
      assert.equal(await page.locator('.queue-item').count(), 0);

      await checkReceipt(first.receipt, firstNumber);
      await checkReceipt(second.receipt, secondNumber);

      // Sign-out ends it: the cookie is gone and the console asks to sign in again.
      await Promise.all([page.waitForURL(`${origin}/staff/sign-in`), page.locator('form.sign-out button').click()]);
      assert.deepEqual((await context.cookies()).filter((c) => c.name === 'rc_staff'), []);
      const again = await page.goto(`${origin}/staff/queue`);
      assert.equal(again?.status(), 401);
    });

    test('staff pages load only from the app itself and report no Content Security Policy violation', { timeout: TEST_TIMEOUT }, async () => {
      const volunteer = await createStaff(server.database, 'volunteer');
      const { page } = await openPage();
      await page.goto(`${origin}/staff/sign-in`);
      await page.locator('#name').fill(volunteer.name);
      await page.locator('#password').fill(volunteer.password);
      await Promise.all([page.waitForURL(`${origin}/staff/`), page.locator('form.sign-in button[type=submit]').click()]);
      await page.goto(`${origin}/staff/assisted`);
      await Promise.all([page.waitForURL(`${origin}/staff/assisted`), page.locator('button[value=suggest-pseudonym]').click()]);
      assert.match(await page.locator('#names').inputValue(), /^\p{Script=Han}{2,3}$/u);
      await page.locator('input[name=organizations][value=party]').check();
      await page.locator('#region').selectOption('110000');
      await page.locator('input[name=channel][value=hotline]').check();
      await page.locator('input[name=consent]').check();
      await Promise.all([page.waitForURL(`${origin}/staff/assisted`), page.locator('button.button[value=record]').click()]);
      assert.equal(await page.locator('td.receipt-cell output').count(), 1);
      for (const address of ['/staff/entries', '/staff/', '/staff/no-such-page', '/staff/queue']) await page.goto(`${origin}${address}`);

      assert.ok(requestUrls.includes(`${origin}/assets/staff.css`), 'the stylesheet was requested');
      assert.ok(requestUrls.includes(`${origin}/assets/staff-keys.js`), 'the script was requested');
      assert.deepEqual(requestUrls.filter((u) => !u.startsWith(`${origin}/`)), [], 'requests to another origin');
      assert.deepEqual(cspViolations, [], 'Content Security Policy violations or script errors');
    });
  });
});
