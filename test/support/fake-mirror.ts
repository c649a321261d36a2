// A synthetic center's files (fake-log.ts) as a mirror: written to a DIR, or served over
// node:http on 127.0.0.1 with the contract's paths (/log/…, /api/v1/stats, the day lists in
// pages); and the verifier run against either.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { formatLine } from '../../src/cli/verify.js';
import { dirLogSource, httpLogSource, type LogSource } from '../../src/commands/log-source.js';
import { verifyLog, type VerifyOptions, type VerifyResult } from '../../src/commands/log-verifier.js';
import type { CheckLine } from '../../src/commands/log-verify-support.js';
import { json, type FakeFiles } from './fake-log.js';

/** Writes the files as a mirror DIR. */
export async function writeMirror(files: FakeFiles, dir: string): Promise<void> {
  for (const [relative, bytes] of files) {
    const file = path.join(dir, ...relative.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
}

/** Serves the files with the contract's HTTP paths on 127.0.0.1; day lists in pages of `pageSize`. */
export async function serveMirror(files: FakeFiles, options: { pageSize?: number; redirects?: Record<string, string> } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const pageSize = options.pageSize ?? 100;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: Uint8Array | string = '') => response.writeHead(status).end(body);
    const redirect = options.redirects?.[url.pathname];
    if (redirect) return response.writeHead(302, { location: redirect }).end();
    if (url.pathname.startsWith('/log/')) {
      const bytes = files.get(url.pathname.slice(1));
      return bytes ? send(200, bytes) : send(404);
    }
    if (url.pathname === '/api/v1/stats') return files.has('api/v1/stats.json') ? send(200, files.get('api/v1/stats.json')!) : send(404);
    if (url.pathname === '/api/v1/statements') {
      const date = url.searchParams.get('date') ?? '';
      const page = Number(url.searchParams.get('page') ?? '1');
      const day = files.get(`api/v1/statements/${date}.json`);
      const all = day ? (JSON.parse(Buffer.from(day).toString('utf8')) as { statements: unknown[] }).statements : [];
      const statements = all.slice((page - 1) * pageSize, page * pageSize);
      return send(200, JSON.stringify({ date, page, hasMore: all.length > page * pageSize, statements }));
    }
    return send(404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Replaces a JSON file of the mirror with `edit(parsed)`. */
export function editJson<T>(files: FakeFiles, relative: string, edit: (value: T) => void): void {
  const value = JSON.parse(Buffer.from(files.get(relative)!).toString('utf8')) as T;
  edit(value);
  files.set(relative, json(value));
}

/**
 * Runs the verifier on the files, as a mirror DIR (in a fresh temporary directory) or over HTTP
 * (day lists in pages of 7, so paging is exercised); the lines are also returned as printed.
 */
export async function verifyMirror(files: FakeFiles, via: 'http' | 'dir', options: VerifyOptions = {}): Promise<VerifyResult & { printed: string }> {
  const collected: string[] = [];
  const run = (source: LogSource) => verifyLog(source, { manifest: false, ...options, onCheck: (line) => collected.push(formatLine(line)) });
  let result: VerifyResult;
  if (via === 'http') {
    const server = await serveMirror(files, { pageSize: 7 });
    try {
      result = await run(httpLogSource(server.url));
    } finally {
      await server.close();
    }
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rc-verify-'));
    try {
      await writeMirror(files, dir);
      result = await run(dirLogSource(dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { ...result, printed: collected.join('') };
}

/** The line of one check, e.g. lineOf(result, 'count regions'). */
export function lineOf(result: VerifyResult, check: string): CheckLine {
  const line = result.lines.find((l) => l.check === check);
  if (!line) throw new Error(`no "${check}" line in:\n${result.lines.map((l) => `${l.check}: ${l.detail}`).join('\n')}`);
  return line;
}
