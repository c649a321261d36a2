// Closed-loop GET load for the read benchmark: like load.ts (keep-alive connections, at most one
// request in flight each, a warm-up that is not counted, then a measured window), but each
// request takes the next path from the target and only a 200 with a body counts as served.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface ReadTarget {
  name: string;
  port: number;
  /** The path of the next request (varied per request, e.g. a random statement number). */
  nextPath(): string;
  /** One keep-alive agent per target, kept across rounds so connections are reused. */
  agent: http.Agent;
}

export interface ReadLoadOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** A request that takes longer is abandoned and counted as an error. */
  timeoutMs: number;
  /** Called when the measured window opens and closes (for CPU samples). */
  onWindow?(edge: 'start' | 'end'): void;
}

export interface ReadLoadResult {
  target: string;
  windowMs: number;
  /** 200 responses completed inside the window. */
  served: number;
  /** Everything else inside the window, by kind ("HTTP 404 /zh-hans/", "ECONNRESET", "timeout"…). */
  errors: Record<string, number>;
  /** Failures over the whole run, warm-up and drain included. */
  totalFailed: number;
  /** Bytes of 200 bodies inside the window. */
  bytes: number;
  /** Latency in ms of every request completed inside the window, sorted. */
  latencies: Float64Array;
  /** Latency per path of requests inside the window (for per-query figures). */
  byPath: Map<string, number[]>;
}

function get(target: ReadTarget, path: string, timeoutMs: number): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    // Like every browser (Tor Browser included): the app sends cached pages gzipped when asked;
    // the client counts the bytes as they arrive and does not inflate them (nor does it for hello).
    const request = http.request({ agent: target.agent, host: '127.0.0.1', port: target.port, method: 'GET', path, headers: { 'accept-encoding': 'gzip, deflate, br' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    request.on('error', reject);
    request.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs warm-up + window against one target and returns what happened inside the window. */
export async function runReadLoad(target: ReadTarget, options: ReadLoadOptions): Promise<ReadLoadResult> {
  let measuring = false;
  let stopped = false;
  let windowStart = 0;
  let windowEnd = 0;
  let served = 0;
  let bytes = 0;
  let totalFailed = 0;
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  const byPath = new Map<string, number[]>();

  const opened = new Promise<void>((resolve) =>
    setTimeout(() => {
      windowStart = performance.now();
      measuring = true;
      options.onWindow?.('start');
      resolve();
    }, options.warmupMs),
  );
  const closed = opened.then(
    () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          windowEnd = performance.now();
          measuring = false;
          stopped = true;
          options.onWindow?.('end');
          resolve();
        }, options.durationMs),
      ),
  );

  const worker = async (): Promise<void> => {
    while (!stopped) {
      const path = target.nextPath();
      const started = performance.now();
      let failure: string | undefined;
      let size = 0;
      try {
        const outcome = await get(target, path, options.timeoutMs);
        size = outcome.bytes;
        // A page is served when it answers 200 with a body; a 404 (a route not there yet) fails.
        if (outcome.status !== 200 || outcome.bytes === 0) failure = `HTTP ${outcome.status} ${path.split('?')[0]!.replace(/\/\d[\d-]*$/, '/…')}`;
      } catch (error) {
        failure = String((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      }
      const finished = performance.now();
      if (failure !== undefined) totalFailed++;
      if (measuring) {
        latencies.push(finished - started);
        let list = byPath.get(path);
        if (!list) byPath.set(path, (list = []));
        list.push(finished - started);
        if (failure === undefined) {
          served++;
          bytes += size;
        } else errors[failure] = (errors[failure] ?? 0) + 1;
      }
      if (failure !== undefined && !failure.startsWith('HTTP')) await sleep(10);
    }
  };

  const workers = Array.from({ length: options.connections }, () => worker());
  await closed;
  await Promise.all(workers);
  return {
    target: target.name,
    windowMs: windowEnd - windowStart,
    served,
    errors,
    totalFailed,
    bytes,
    latencies: Float64Array.from(latencies).sort(),
    byPath,
  };
}
