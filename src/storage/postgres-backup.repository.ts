import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.js';

/** `pg_dump` or `pg_restore`: on PATH, else the newest /usr/lib/postgresql/<version>/bin. */
export function findPostgresTool(name: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = path.join(root, version, 'bin', name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Runs a PostgreSQL client tool against `databaseUrl`. The password, if the URL has one, goes in
 * PGPASSWORD, never on the command line (where any local user could read it in the process list).
 * Each line the tool writes on stderr is passed to `onLine`; rejects with the last lines on failure.
 */
export function runPostgresTool(tool: string, args: string[], databaseUrl: string, onLine: (line: string) => void): Promise<void> {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (url.password) {
    env.PGPASSWORD = decodeURIComponent(url.password);
    url.password = '';
  }
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${url.toString()}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const tail: string[] = [];
    let partial = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 10) tail.shift();
        onLine(line);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(tool)} failed (exit ${code}):\n${[...tail, partial].filter(Boolean).join('\n')}`));
    });
  });
}

/** Lists a custom-format dump's contents with `pg_restore --list`; returns the tables it holds data of. */
export function listDumpTables(pgRestore: string, file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(pgRestore, ['--list', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pg_restore --list failed (exit ${code}): ${err.trim()}`));
      // Entries look like "3456; 0 16385 TABLE DATA public submission postgres".
      resolve([...out.matchAll(/ TABLE DATA \S+ (\S+)/g)].map((m) => m[1]!));
    });
  });
}

/** The user tables of a PostgreSQL database (any schema but the system ones): empty means safe to restore into. */
export async function postgresUserTables(db: Kysely<Schema>): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_toast%'
    order by 1`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Rows of the main tables, for the report after a restore (either dialect). */
export async function tableRowCounts(db: Kysely<Schema>, tables: readonly string[]): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of tables) {
    const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    rows[table] = Number(r.rows[0]!.n);
  }
  return rows;
}
