// Closed-loop clients of the hostile benchmark: each connection keeps one request in flight,
// takes the next request from its generator, and records the latency and status of every
// request that completes while `measuring()` is true. Hostile and normal clients connect from
// different loopback addresses (127.0.0.x), as different clients would.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { BenchRequest } from './hostile-requests.js';

export interface Tally {
  /** Requests completed inside the window, by kind and outcome ("submit 201", "read 200", "timeout"…). */
  outcomes: Map<string, number>;
  /** Latencies (ms) inside the window, by kind. */
  latencies: Map<string, number[]>;
}

export interface ClientOptions {
  port: number;
  localAddress: string;
  connections: number;
  timeoutMs: number;
  next(): BenchRequest;
  /** Whether a completed request counts (the measured window is open). */
  measuring(): boolean;
  /** The statuses that count as served for each kind (anything else is an error). */
  ok(kind: string, status: number): boolean;
}

export interface Client {
  tally(): Tally;
  reset(): void;
  stop(): Promise<void>;
}

function send(agent: http.Agent, options: ClientOptions, request: BenchRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'accept-encoding': 'gzip', ...request.headers };
    if (request.body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(request.body.length);
    }
    const req = http.request(
      { agent, host: '127.0.0.1', port: options.port, localAddress: options.localAddress, method: request.method, path: request.path, headers },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', reject);
    req.end(request.body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `connections` loops that run until `stop()`. */
export function startClient(options: ClientOptions): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, localAddress: options.localAddress } as http.AgentOptions);
  let tally: Tally = { outcomes: new Map(), latencies: new Map() };
  let stopped = false;
  const count = (key: string) => tally.outcomes.set(key, (tally.outcomes.get(key) ?? 0) + 1);
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const request = options.next();
      const started = performance.now();
      let outcome: string;
      let failed = false;
      try {
        const status = await send(agent, options, request);
        outcome = `${request.kind} ${status}`;
        failed = !options.ok(request.kind, status);
      } catch (error) {
        outcome = `${request.kind} ${String((error as NodeJS.ErrnoException).code ?? (error as Error).message)}`;
        failed = true;
      }
      if (options.measuring()) {
        count(failed ? `${outcome} (error)` : outcome);
        let list = tally.latencies.get(request.kind);
        if (!list) tally.latencies.set(request.kind, (list = []));
        list.push(performance.now() - started);
      }
      if (failed && !outcome.match(/ \d{3}$/)) await sleep(10);
    }
  };
  const loops = Array.from({ length: options.connections }, () => loop());
  return {
    tally: () => tally,
    reset: () => {
      tally = { outcomes: new Map(), latencies: new Map() };
    },
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}
