// The real `rcenter` command as a child process: `node bin/rcenter.js …`, exactly as an operator
// runs it. For tests that must see everything the process writes (stdout, stderr, files) or that
// must kill it mid-flight, which an in-process `app.inject()` cannot show.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RCENTER = path.join(ROOT, 'bin', 'rcenter.js');

/**
 * Settings the service reads; never inherited from the test's own environment. Read from
 * src/config.ts itself (every `env.NAME` and quoted upper-case setting name), so a new setting
 * cannot leak from a developer's shell into a test.
 */
const SERVICE_VARIABLES = [
  ...new Set(
    [...fs.readFileSync(path.join(ROOT, 'src', 'config.ts'), 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]+)|'([A-Z][A-Z0-9]*_[A-Z0-9_]+|PORT|HOST)'/g)].map(
      (m) => m[1] ?? m[2]!,
    ),
  ),
];

/** The test's environment minus every service setting, plus `env` (an undefined value removes). */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete out[name];
  // node --test sets these for its own children; the CLI must not think it is a test.
  delete out.NODE_TEST_CONTEXT;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `rcenter …args` to completion with the given service settings; `input`, when given, is
 * written to its standard input (a pipe, closed after it).
 */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const stdin = input === undefined ? 'ignore' : 'pipe';
    const child = spawn(process.execPath, [RCENTER, ...args], { cwd: ROOT, env: childEnv(env), stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rcenter ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT`, from the "serving on" line. */
  url: string;
  port: number;
  /** Everything written so far, raw bytes in order. */
  stdout(): Buffer;
  stderr(): Buffer;
  /** Resolves when the process has exited (and its output is complete). */
  exited: Promise<Exit>;
  /** SIGTERM (graceful: drains requests, closes the database), then waits for the exit. */
  stop(timeoutMs?: number): Promise<Exit>;
  /** SIGKILL now, then waits for the exit. */
  kill(): Promise<Exit>;
}

export interface StartOptions {
  /** Service settings, e.g. DATA_DIR, DATABASE_URL, AGE_RECIPIENTS. PORT defaults to 0 (any free port). */
  env: Record<string, string | undefined>;
  /** How long to wait for the "serving on" line. */
  timeoutMs?: number;
}

const SERVING_ON = /rcenter: serving on (http:\/\/[^\s]+?:(\d+))\s/;

/** Starts `rcenter serve` and resolves once it says where it is serving. */
export function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [RCENTER, 'serve'], {
    cwd: ROOT,
    env: childEnv({ PORT: '0', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const stdout = () => Buffer.concat(out);
  const stderr = () => Buffer.concat(err);

  const waitFor = (signal: NodeJS.Signals | null, ms: number): Promise<Exit> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    if (signal) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Exit>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`rcenter serve did not exit within ${ms} ms after ${signal}`));
      }, ms);
    });
    return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
  };

  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rcenter serve did not start within ${timeoutMs} ms\nstdout: ${stdout()}\nstderr: ${stderr()}`));
    }, timeoutMs);
    const onData = () => {
      const match = SERVING_ON.exec(stdout().toString('utf8'));
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        child,
        url: match[1]!,
        port: Number(match[2]),
        stdout,
        stderr,
        exited,
        stop: (ms = 15_000) => waitFor('SIGTERM', ms),
        kill: () => waitFor('SIGKILL', 15_000),
      });
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`rcenter serve exited (code ${code}, signal ${signal}) before serving\nstdout: ${stdout()}\nstderr: ${stderr()}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Leak search: where a string that must never be kept (a client address, a user agent, a
// plaintext) would show up if it were written — files of any kind, read as bytes, and rows.

/** One place a needle was found. */
export interface Hit {
  where: string;
  needle: string;
  encoding: 'utf8' | 'utf16le';
  offset: number;
  /** A few bytes around the hit, printable, for the failure message. */
  context: string;
}

/** ASCII letters folded to lower case, byte by byte; other bytes unchanged (safe for binary data). */
function foldAscii(bytes: Uint8Array): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const b = out[i]!;
    if (b >= 0x41 && b <= 0x5a) out[i] = b + 0x20;
  }
  return out;
}

/** Every occurrence of each needle in `bytes`, as UTF-8 and as UTF-16LE, ignoring ASCII case. */
export function searchBytes(where: string, bytes: Uint8Array, needles: readonly string[]): Hit[] {
  const haystack = foldAscii(bytes);
  const hits: Hit[] = [];
  for (const needle of needles) {
    for (const encoding of ['utf8', 'utf16le'] as const) {
      const pattern = foldAscii(Buffer.from(needle, encoding));
      if (pattern.length === 0) continue;
      for (let at = haystack.indexOf(pattern); at !== -1; at = haystack.indexOf(pattern, at + 1)) {
        const around = Buffer.from(bytes.subarray(Math.max(0, at - 60), Math.min(bytes.length, at + pattern.length + 60)));
        hits.push({ where, needle, encoding, offset: at, context: around.toString('latin1').replace(/[^\x20-\x7e]/g, '.') });
      }
    }
  }
  return hits;
}

/** Every regular file under `dir`, recursively (symbolic links are not followed); `dir` may be one file. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  if (fs.existsSync(dir) && fs.statSync(dir).isFile()) return [dir];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) files.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files.sort();
}

/** Searches the bytes of every file under each of `dirs` (directories or files); says which files it read. */
export function searchFiles(dirs: readonly string[], needles: readonly string[]): { files: string[]; bytes: number; hits: Hit[] } {
  const files: string[] = [];
  const hits: Hit[] = [];
  let bytes = 0;
  for (const dir of dirs) {
    for (const file of listFiles(dir)) {
      let contents: Buffer;
      try {
        contents = fs.readFileSync(file);
      } catch (error) {
        // A file removed between listing and reading (e.g. a -wal at checkpoint) has nothing left to leak.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      files.push(file);
      bytes += contents.length;
      hits.push(...searchBytes(file, contents, needles));
    }
  }
  return { files, bytes, hits };
}

/** Every row of every table in the `public` schema, as JSON text, labelled `table#n`. */
export async function dumpPostgresRows(db: Kysely<any>): Promise<{ where: string; text: string }[]> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const dump: { where: string; text: string }[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(`public.${name}`)} t`.execute(db);
    rows.rows.forEach((r, i) => dump.push({ where: `${name}#${i}`, text: r.row }));
  }
  return dump;
}

/** Searches a row dump (see `dumpPostgresRows`). */
export function searchRows(dump: { where: string; text: string }[], needles: readonly string[]): Hit[] {
  return dump.flatMap(({ where, text }) => searchBytes(`row ${where}`, Buffer.from(text, 'utf8'), needles));
}

/**
 * Where the PostgreSQL server behind `db` keeps this database on disk, when that is readable
 * from here (a local cluster run by the same user or root): the database's own directory (a
 * fresh test database holds nothing else), and the server log beside the data directory (the
 * layout of scripts/throwaway-postgres.sh) with its current size, so that only what is written
 * from now on is searched. Runs a CHECKPOINT first so that committed rows are in the files.
 * Undefined when not available (remote server, no superuser, unreadable).
 */
export async function postgresStorageOf(
  db: Kysely<any>,
): Promise<{ databaseDir: string; serverLog: { file: string; size: number } | undefined } | undefined> {
  try {
    await sql`checkpoint`.execute(db);
    const dataDirectory = (await sql<{ d: string }>`select current_setting('data_directory') as d`.execute(db)).rows[0]!.d;
    const oids = await sql<{ oid: string }>`select oid::text as oid from pg_database where datname = current_database()`.execute(db);
    const oid = oids.rows[0]!.oid;
    const databaseDir = path.join(dataDirectory, 'base', oid);
    fs.readdirSync(databaseDir);
    const log = path.join(path.dirname(dataDirectory), 'server.log');
    const serverLog = fs.existsSync(log) ? { file: log, size: fs.statSync(log).size } : undefined;
    return { databaseDir, serverLog };
  } catch {
    return undefined;
  }
}

/** The bytes appended to `file` since it had `size` bytes. */
export function readAppended(file: string, size: number): Buffer {
  const contents = fs.readFileSync(file);
  return contents.subarray(Math.min(size, contents.length));
}
