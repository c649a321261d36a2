import { open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where `rcenter verify` reads a log from: the center or a mirror over HTTP(S), or a mirror on
 * disk with the same layout. Paths are relative (`log/checkpoint`, `log/tile/0/000`); the two
 * differ only for the API files (`api/v1/stats` from the service is `api/v1/stats.json` in a mirror,
 * and a day's statements are pages from the service, one file in a mirror): see `layout`.
 */
export interface LogSource {
  readonly kind: 'http' | 'dir';
  /**
   * How the count and the day lists are laid out: as the service serves them (`api/v1/stats`,
   * day lists in pages), or as files (`api/v1/stats.json`, one file a day), as in a mirror's
   * directory and a mirror served over HTTP.
   */
  readonly layout: 'service' | 'files';
  /** The URL or directory, for messages. */
  readonly location: string;
  /** The bytes at `relativePath`, or undefined when there is none (404, 410, no such file). */
  read(relativePath: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

/** Thrown when a source cannot be read: a network error, a timeout, a refused redirect, a size bound. */
export class LogSourceError extends Error {
  override readonly name = 'LogSourceError';
}

export interface HttpSourceOptions {
  /** Longest wait for one response, headers and body (default 30 s). */
  timeoutMs?: number;
  /** Most requests in flight at once (default 8). */
  concurrency?: number;
  /**
   * Longest total wait when the server asks to slow down (429 or 503 with `Retry-After`, as the
   * center's work budget does for a client that reads much): default one hour. Beyond it, the read fails.
   */
  maxWaitMs?: number;
  /** Told each time the server asks to wait, before waiting (for progress output). */
  onWait?(seconds: number, url: string): void;
}

/** The longest single wait honoured from one `Retry-After`. */
const MAX_RETRY_AFTER_S = 120;

/** A polite refusal: ask again after `seconds`. */
class RetryLater extends Error {
  constructor(readonly seconds: number, readonly url: string) {
    super(`${url}: asked to wait ${seconds} s`);
  }
}

const MAX_REDIRECTS = 5;

/** An HTTP(S) source: same-origin redirects followed (at most 5), other redirects refused. */
export function httpLogSource(baseUrl: string, options: HttpSourceOptions = {}): LogSource {
  const base = new URL(baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new LogSourceError(`${baseUrl}: only http and https URLs can be read`);
  if (base.username || base.password) throw new LogSourceError(`${baseUrl}: a URL with a user name or password is refused`);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const slot = limiter(options.concurrency ?? 8);
  let waitLeftMs = options.maxWaitMs ?? 3_600_000;
  const politely = async (url: URL, maxBytes: number): Promise<Uint8Array | undefined> => {
    for (;;) {
      try {
        return await slot(() => fetchBounded(url, base.origin, maxBytes, timeoutMs));
      } catch (error) {
        if (!(error instanceof RetryLater)) throw error;
        const ms = error.seconds * 1000;
        if (ms > waitLeftMs) throw new LogSourceError(`${error.url}: the server keeps asking to slow down (429/503); waited as long as allowed`);
        waitLeftMs -= ms;
        options.onWait?.(error.seconds, error.url);
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    }
  };
  return {
    kind: 'http',
    layout: 'service',
    location: base.href,
    read: (relativePath, maxBytes) => politely(new URL(checkRelative(relativePath), base), maxBytes),
  };
}

/** A mirror on disk: `relativePath` under `dir`. */
export function dirLogSource(dir: string): LogSource {
  const root = path.resolve(dir);
  return {
    kind: 'dir',
    layout: 'files',
    location: root,
    async read(relativePath, maxBytes) {
      const file = path.join(root, ...checkRelative(relativePath).split('/'));
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw new LogSourceError(`${relativePath}: ${(error as Error).message}`);
      }
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) return undefined;
        if (stat.size > maxBytes) throw new LogSourceError(`${relativePath}: ${stat.size} bytes, more than the ${maxBytes} allowed`);
        const bytes = await handle.readFile();
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      } finally {
        await handle.close();
      }
    },
  };
}

async function fetchBounded(url: URL, origin: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array | undefined> {
  const signal = AbortSignal.timeout(timeoutMs);
  let at = url;
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetch(at, { redirect: 'manual', signal, headers: { accept: '*/*' } });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (location === null || hop >= MAX_REDIRECTS) throw new LogSourceError(`${at.href}: redirect ${location === null ? 'without a location' : 'loop'}`);
        const next = new URL(location, at);
        // A mirror must not send the verifier elsewhere: everything is read from the origin named.
        if (next.origin !== origin) throw new LogSourceError(`${at.href}: redirect to another origin (${next.origin}) refused`);
        at = next;
        continue;
      }
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) {
        await response.body?.cancel();
        const retryAfter = Number(response.headers.get('retry-after'));
        if ((response.status === 429 || response.status === 503) && Number.isInteger(retryAfter) && retryAfter >= 0 && retryAfter <= MAX_RETRY_AFTER_S) {
          throw new RetryLater(Math.max(1, retryAfter), at.href);
        }
        throw new LogSourceError(`${at.href}: HTTP ${response.status}`);
      }
      return await readBody(response, maxBytes, at.href);
    }
  } catch (error) {
    if (error instanceof LogSourceError || error instanceof RetryLater) throw error;
    const reason = signal.aborted ? `no answer within ${timeoutMs / 1000} s` : (error as Error).message;
    throw new LogSourceError(`${at.href}: ${reason}`);
  }
}

async function readBody(response: Response, maxBytes: number, where: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new LogSourceError(`${where}: ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    length += chunk.length;
    if (length > maxBytes) throw new LogSourceError(`${where}: more than the ${maxBytes} bytes allowed`);
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks, length);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Refuses anything but a plain relative path (the verifier writes them all, so this is a guard). */
function checkRelative(relativePath: string): string {
  if (relativePath.startsWith('/') || relativePath.split(/[/?]/).some((part) => part === '..' || part === '.')) {
    throw new Error(`not a relative path: ${relativePath}`);
  }
  return relativePath;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** At most `n` calls of `work` running at once; the others wait their turn. */
function limiter(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    // A finished call hands its slot straight to the next waiting one, so `running` never exceeds n.
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
