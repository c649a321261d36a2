import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';
import { openDatabase, type Database, type Dialect } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrator.js';

/** A fresh, migrated database of one dialect, and how to get rid of it. */
export interface TestDatabase {
  dialect: Dialect;
  database: Database;
  /** SQLite: where the file lives. PostgreSQL: an empty scratch directory. */
  dataDir: string;
  /** PostgreSQL only: the URL of this test's own database. */
  databaseUrl: string | undefined;
  cleanup(): Promise<void>;
}

const adminUrl = process.env.TEST_DATABASE_URL;
const requireAll = process.env.RC_TEST_REQUIRE_ALL === '1';

/** Why PostgreSQL suites are skipped, or false when they run (CI never skips: they fail instead). */
export const postgresSkip: string | false =
  adminUrl || requireAll ? false : 'PostgreSQL not available (set TEST_DATABASE_URL or install PostgreSQL 15)';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/** A new empty database of `dialect`, migrated to the latest schema. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (dialect === 'postgres') {
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL suites');
    const name = `rc_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => adminQuery(`drop database if exists ${name} with (force)`);
  }
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 5 });
  await migrateToLatest(database.db);
  return {
    dialect,
    database,
    dataDir,
    databaseUrl,
    cleanup: async () => {
      await database.close();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Declares the same suite once per dialect: `describe('sqlite: name')` and
 * `describe('postgres: name')`. PostgreSQL is skipped only outside CI when no server is available.
 */
export function describeEachDialect(name: string, suite: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) {
    const skip = dialect === 'postgres' ? postgresSkip : false;
    describe(`${dialect}: ${name}`, { skip }, () => suite(dialect));
  }
}
