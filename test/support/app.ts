import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import type { Dialect } from '../../src/storage/database.js';
import { buildApp, type BuildAppOptions } from '../../src/web/app.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  config: Config;
  /** Every log line the app wrote, as raw text. */
  logs: string[];
  close(): Promise<void>;
}

/** Settings for tests: quiet logs, no rate limits unless a test turns them on. */
export function testConfig(base: Pick<TestDatabase, 'dataDir' | 'databaseUrl'>, overrides: Partial<Config> = {}): Config {
  const config = loadConfig({ DATA_DIR: base.dataDir, ...(base.databaseUrl ? { DATABASE_URL: base.databaseUrl } : {}) });
  return { ...config, logLevel: 'info', rateLimits: { ...config.rateLimits, enabled: false }, ...overrides };
}

/** A fresh database of `dialect` and the whole app built on it, ready for `app.inject()`. */
export async function createTestApp(dialect: Dialect, overrides: Partial<Config> = {}, options: Pick<BuildAppOptions, 'limits' | 'logKey'> = {}): Promise<TestApp> {
  const testDatabase = await createTestDatabase(dialect);
  const config = testConfig(testDatabase, overrides);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(config, testDatabase.database, { logStream, ...options });
  await app.ready();
  return {
    ...testDatabase,
    app,
    config,
    logs,
    close: async () => {
      await app.close();
      await testDatabase.cleanup();
    },
  };
}

/** A valid submission in the API's shape; override any field. */
export function validSubmission(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    language: 'zh-hans',
    title: '我的声明',
    text: '这是一份为测试而写的合成声明。',
    declarants: [{ displayName: '测试者甲', nameKind: 'pseudonym', organizations: ['party', 'youth_league'], region: '440000' }],
    ...overrides,
  };
}

/** POSTs JSON to the API. */
export function postJson(app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** POSTs an urlencoded form, fields given as [name, value] pairs so that names can repeat. */
export function postForm(app: FastifyInstance, url: string, fields: [string, string][]) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}
