// Checks that the test harness (bin/run-tests.js) handed the suites a working PostgreSQL and a
// usable Chromium. Skips when they are absent, fails instead when RC_TEST_REQUIRE_ALL=1 (CI).
import assert from 'node:assert/strict';
import { accessSync, constants, statSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';

const requireAll = process.env.RC_TEST_REQUIRE_ALL === '1';

/** The skip message when `value` is unset and skipping is allowed, else false. */
function skipUnless(value: string | undefined, message: string): string | false {
  return value || requireAll ? false : message;
}

const databaseUrl = process.env.TEST_DATABASE_URL;
const chromium = process.env.RC_CHROMIUM;

test(
  'harness: PostgreSQL at TEST_DATABASE_URL answers select version()',
  { skip: skipUnless(databaseUrl, 'TEST_DATABASE_URL is not set: PostgreSQL suites are skipped') },
  async () => {
    assert.ok(databaseUrl, 'TEST_DATABASE_URL is not set but RC_TEST_REQUIRE_ALL=1');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>('select version() as version');
      assert.equal(rows.length, 1);
      assert.match(String(rows[0]?.version), /PostgreSQL/);
    } finally {
      await client.end();
    }
  },
);

test(
  'harness: RC_CHROMIUM is an executable file',
  { skip: skipUnless(chromium, 'RC_CHROMIUM is not set: browser suites are skipped') },
  () => {
    assert.ok(chromium, 'RC_CHROMIUM is not set but RC_TEST_REQUIRE_ALL=1');
    assert.ok(statSync(chromium).isFile(), `RC_CHROMIUM=${chromium} is not a file`);
    assert.doesNotThrow(() => accessSync(chromium, constants.X_OK), `RC_CHROMIUM=${chromium} is not executable`);
  },
);
