// Launching the Chromium that bin/run-tests.js found (RC_CHROMIUM) for the browser suites.
import { chromium, type Browser } from 'playwright-core';

const requireAll = process.env.RC_TEST_REQUIRE_ALL === '1';
const executablePath = process.env.RC_CHROMIUM || undefined;

/**
 * Why browser suites are skipped, or false when they run. Without RC_CHROMIUM they skip, except
 * under RC_TEST_REQUIRE_ALL=1 (CI), where they run and fail in `launchBrowser`.
 */
export const browserSkip: string | false =
  executablePath || requireAll ? false : 'Chromium not available (RC_CHROMIUM is not set; install chromium or set CHROMIUM_PATH)';

/** Flags that keep Chromium from talking to anything but the page under test. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * A headless Chromium with a fresh profile (Playwright creates a temporary user-data-dir for
 * every `launch` and removes it on close).
 */
export async function launchBrowser(): Promise<Browser> {
  if (!executablePath) throw new Error('RC_CHROMIUM is not set but RC_TEST_REQUIRE_ALL=1: the browser suites cannot run');
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 });
}
