// What the fault tests share: plain HTTP against a server process (node:http, so that a test sees
// exactly what a client on the network sees, timings included), synthetic submissions, and the
// checks made on the database afterwards.
import http from 'node:http';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../../src/storage/database.js';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Milliseconds from sending to the last byte of the answer. */
  ms: number;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  agent?: http.Agent;
  /** The request fails (rejects) if no whole answer came within this time. */
  timeoutMs?: number;
}

/** One request to 127.0.0.1:port; a JSON body when `body` is given (a string is sent as it is). */
export function request(port: number, url: string, options: RequestOptions = {}): Promise<Answer> {
  const started = performance.now();
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string | number> = { ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? (payload === undefined ? 'GET' : 'POST'), path: url, headers, agent: options.agent ?? false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer to ${url} within ${options.timeoutMs} ms`)));
    }
    req.on('error', reject);
    req.end(payload);
  });
}

/** A valid public submission, different for each `n` (synthetic text). */
export function submission(n: number, textLength = 0): Record<string, unknown> {
  const filler = textLength > 0 ? '。这是一份为故障测试而写的合成声明'.repeat(Math.ceil(textLength / 17)).slice(0, textLength) : '';
  return {
    language: 'zh-hans',
    title: `故障测试 ${n}`,
    text: `故障测试声明第 ${n} 号${filler}`,
    declarants: [{ displayName: `测试者${n}`, nameKind: 'pseudonym', organizations: ['party'], region: '310000' }],
  };
}

export interface Created {
  id: string;
  receipt: string;
}

/**
 * Posts `count` submissions with `concurrency` in flight; returns the created ones. Any answer
 * but 201 fails (these are set-up, not the fault under test).
 */
export async function submitMany(port: number, count: number, concurrency: number, from = 0): Promise<Created[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const created: Created[] = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const n = from + next++;
          const answer = await request(port, '/api/v1/submissions', { body: submission(n), agent, timeoutMs: 30_000 });
          if (answer.status !== 201) throw new Error(`set-up submission ${n}: ${answer.status} ${answer.body}`);
          created.push(JSON.parse(answer.body) as Created);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return created;
}

/** Opens the SQLite file of a data directory (replaying its WAL, as the next start would), runs `use`, closes it. */
export function withSqliteFile<T>(dataDir: string, use: (db: SQLite.Database) => T): T {
  const db = new SQLite(path.join(dataDir, SQLITE_FILE_NAME));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** `pragma integrity_check` and `foreign_key_check` together: 'ok' or what is wrong. */
export function sqliteIntegrity(db: SQLite.Database): string {
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  const foreignKeys = (db.pragma('foreign_key_check') as unknown[]).length;
  return foreignKeys === 0 ? integrity : `${integrity}; ${foreignKeys} foreign key violations`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `check` is true (polling), or throws after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
