// Closed-loop clients of the hostile benchmark: each connection keeps one request in flight,
// takes the next request from its generator, and records the latency and status of every
// request that completes while `measuring()` is true. Hostile and normal clients connect from
// different loopback addresses (127.0.0.x), as different clients would; the normal client
// stands for many readers and declarants, so it takes its addresses in turn from a list (one
// kept-alive connection each), each of them under the per-client limits as a real one would be.
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
  /** One address, or several taken in turn (request i from address i mod n). */
  localAddress: string | readonly string[];
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
  /** Stops sending after the requests in flight until `resume()`; resolves when they are answered. */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
}

function send(agent: http.Agent, localAddress: string, options: ClientOptions, request: BenchRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'accept-encoding': 'gzip', ...request.headers };
    if (request.body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(request.body.length);
    }
    const req = http.request(
      { agent, host: '127.0.0.1', port: options.port, localAddress, method: request.method, path: request.path, headers },
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
  const addresses = typeof options.localAddress === 'string' ? [options.localAddress] : [...options.localAddress];
  const agents = addresses.map((localAddress) => ({ localAddress, agent: new http.Agent({ keepAlive: true, maxSockets: options.connections, localAddress } as http.AgentOptions) }));
  let turn = 0;
  let tally: Tally = { outcomes: new Map(), latencies: new Map() };
  let stopped = false;
  let paused: { resumed: Promise<void>; resume(): void } | undefined;
  const idle = new Set<() => void>();
  const count = (key: string) => tally.outcomes.set(key, (tally.outcomes.get(key) ?? 0) + 1);
  const loop = async (): Promise<void> => {
    while (!stopped) {
      if (paused) {
        for (const said of idle) said();
        await paused.resumed;
        continue;
      }
      const request = options.next();
      const started = performance.now();
      let outcome: string;
      let failed = false;
      try {
        const { agent, localAddress } = agents[turn++ % agents.length]!;
        const status = await send(agent, localAddress, options, request);
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
    pause: () => {
      let resume = () => {};
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      paused = { resumed, resume };
      return new Promise<void>((resolve) => {
        let waiting = options.connections;
        const said = () => {
          if (--waiting === 0) {
            idle.delete(said);
            resolve();
          }
        };
        idle.add(said);
      });
    },
    resume: () => {
      const was = paused;
      paused = undefined;
      was?.resume();
    },
    stop: async () => {
      paused?.resume();
      stopped = true;
      await Promise.all(loops);
      for (const { agent } of agents) agent.destroy();
    },
  };
}
