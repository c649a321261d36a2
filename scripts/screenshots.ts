// Screenshots of the public site for the README: the home page, a day's list and a statement page
// (Simplified Chinese; the statement page in English too) at phone (360 px) and desktop
// (1280 px) width, with JavaScript off, on a fresh demo database.
//
//   node --import tsx scripts/screenshots.ts            writes docs/screenshots/*.png
//
// Needs Chromium (CHROMIUM_PATH, else /usr/bin/chromium) and, for legible Chinese, a CJK font
// (Debian: apt-get install fonts-noto-cjk). The demo data is synthetic and seeded, so a new run
// shows the same statements, on days counted back from today.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../test/e2e/browser.js';
import { ROOT, runCli, startServerProcess, type ServerProcess } from '../test/support/server-process.js';

const OUT = path.join(ROOT, 'docs', 'screenshots');
const PEOPLE = 10_000;
/** Viewports, and the height a longer page is cut at: the top of a page is what a screenshot is for, in modest files. */
const VIEWPORTS = { phone: { width: 360, height: 800, maxHeight: 1600 }, desktop: { width: 1280, height: 900, maxHeight: 1200 } } as const;

class Failed extends Error {}

function fail(message: string): never {
  throw new Failed(message);
}

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  process.stderr.write(`screenshots: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
  process.exit(1);
}
const cjkFonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
if (cjkFonts.status === 0 && cjkFonts.stdout.trim() === '') {
  process.stderr.write('screenshots: WARNING: no Chinese font installed (apt-get install fonts-noto-cjk): Chinese text will show as boxes\n');
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-screenshots-'));
let server: ServerProcess | undefined;
let browser: Browser | undefined;
try {
  process.stderr.write(`screenshots: filling a demo database with ${PEOPLE} persons in ${dataDir}\n`);
  const demo = await runCli(['demo', '--people', String(PEOPLE), '--data-dir', dataDir], {}, 300_000);
  if (demo.code !== 0) fail(`rcenter demo failed:\n${demo.stderr}`);
  server = await startServerProcess({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn' } });
  const origin = new URL(server.url).origin;
  browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 });

  const html = async (address: string) => {
    const response = await fetch(`${origin}${address}`);
    if (response.status !== 200) fail(`${address} answered ${response.status}`);
    return response.text();
  };
  // The day among the latest statements with the most of them, and the newest featured article.
  const latest = await html('/zh-hans/statements');
  const days = new Map<string, number>();
  for (const [, published] of latest.matchAll(/<time datetime="(\d{4}-\d{2}-\d{2})"/g)) days.set(published!, (days.get(published!) ?? 0) + 1);
  const day = [...days].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))[0]?.[0] ?? fail('no statements listed');
  const article = /href="\/zh-hans\/s\/(\d+)"/.exec(await html('/zh-hans/articles'))?.[1] ?? fail('no featured article');

  const shots: [name: string, address: string][] = [
    ['home', '/zh-hans/'],
    ['day', `/zh-hans/statements/${day}`],
    ['statement', `/zh-hans/s/${article}`],
    ['statement-en', `/en/s/${article}`],
  ];
  fs.mkdirSync(OUT, { recursive: true });
  for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: viewport.width, height: viewport.height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const [name, address] of shots) {
      const response = await page.goto(`${origin}${address}`);
      if (response?.status() !== 200) fail(`${address} answered ${response?.status()}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const file = path.join(OUT, `${name}-${viewport.width}.png`);
      await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height: Math.min(height, viewport.maxHeight) } });
      process.stdout.write(`${path.relative(ROOT, file)}  ${address} (${viewportName})  ${Math.round(fs.statSync(file).size / 1024)} KiB\n`);
    }
    await context.close();
  }
} catch (error) {
  process.stderr.write(`screenshots: ${error instanceof Failed ? error.message : (error as Error).stack}\n`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
