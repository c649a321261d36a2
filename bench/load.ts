// Closed-loop HTTP load generator for the ingest benchmark: a fixed number of keep-alive
// connections on loopback, each with at most one request in flight (so requests are bounded by
// the connection count), a warm-up that is not counted, then a measured window.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadTarget {
  name: string;
  port: number;
  path: string;
  /** One keep-alive agent per target, kept across rounds so connections are reused. */
  agent: http.Agent;
}

export interface LoadOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** A request that takes longer is abandoned and counted as an error. */
  timeoutMs: number;
  nextBody(): Buffer;
  /** Called for every response, in the warm-up, the window and the drain after it. */
  onResponse(status: number, body: string): void;
  /** Called for every request as it completes: its status (undefined: failed at the connection), latency, and whether inside the window. */
  onLatency?(status: number | undefined, ms: number, inWindow: boolean): void;
  /** Called when the measured window opens and closes (for CPU samples). */
  onWindow?(edge: 'start' | 'end'): void;
}

export interface LoadResult {
  target: string;
  /** Actual length of the measured window. */
  windowMs: number;
  /** Responses with 201 completed inside the window. */
  created: number;
  /** Everything else completed inside the window, by kind ("HTTP 503", "ECONNRESET", "timeout"…). */
  errors: Record<string, number>;
  /** Over the whole run including warm-up and drain: every 201 and every failure. */
  totalCreated: number;
  totalFailed: number;
  /** Latency in ms of every request completed inside the window (201 or not), sorted. */
  latencies: Float64Array;
}

export function createAgent(connections: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' });
}

interface Outcome {
  status: number;
  body: string;
}

function send(target: LoadTarget, body: Buffer, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent: target.agent,
        host: '127.0.0.1',
        port: target.port,
        method: 'POST',
        path: target.path,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    request.on('error', reject);
    request.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs warm-up + window against one target and returns what happened inside the window. */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  let measuring = false;
  let stopped = false;
  let windowStart = 0;
  let windowEnd = 0;
  let created = 0;
  let totalCreated = 0;
  let totalFailed = 0;
  const errors: Record<string, number> = {};
  const latencies: number[] = [];

  // The window is opened and closed by timers; a request counts if it completes while it is open.
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
      const body = options.nextBody();
      const started = performance.now();
      let failure: string | undefined;
      let status: number | undefined;
      try {
        const outcome = await send(target, body, options.timeoutMs);
        status = outcome.status;
        options.onResponse(outcome.status, outcome.body);
        if (outcome.status === 201) totalCreated++;
        else failure = `HTTP ${outcome.status}`;
      } catch (error) {
        failure = String((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      }
      const finished = performance.now();
      options.onLatency?.(status, finished - started, measuring);
      if (failure !== undefined) totalFailed++;
      if (measuring) {
        latencies.push(finished - started);
        if (failure === undefined) created++;
        else errors[failure] = (errors[failure] ?? 0) + 1;
      }
      // Do not spin on a server that refuses connections.
      if (failure !== undefined && !failure.startsWith('HTTP')) await sleep(10);
    }
  };

  const workers = Array.from({ length: options.connections }, () => worker());
  await closed;
  await Promise.all(workers); // the drain: requests in flight at the close still finish (and their receipts count)
  const sorted = Float64Array.from(latencies).sort();
  return { target: target.name, windowMs: windowEnd - windowStart, created, errors, totalCreated, totalFailed, latencies: sorted };
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
