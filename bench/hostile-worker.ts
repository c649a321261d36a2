// The hostile connections of the hostile benchmark, in a worker thread of their own so that
// their event loop never delays the normal client's measurements. Runs until told "stop", then
// answers with what its requests got, by kind and status.
import { parentPort, workerData } from 'node:worker_threads';
import { startClient } from './hostile-client.js';
import { cacheHitRequests, hostileRequests } from './hostile-requests.js';

interface HostileData {
  port: number;
  connections: number;
  seed: number;
  staffToken: string;
  localAddress: string;
  mix: 'worst' | 'cache-hits';
}

const data = workerData as HostileData;
const client = startClient({
  port: data.port,
  localAddress: data.localAddress,
  connections: data.connections,
  timeoutMs: 60_000,
  next: data.mix === 'cache-hits' ? cacheHitRequests() : hostileRequests(data.seed, data.staffToken),
  measuring: () => true,
  ok: (_kind, status) => status < 500,
});

parentPort!.on('message', async (message: string) => {
  if (message !== 'stop') return;
  await client.stop();
  const { outcomes, latencies } = client.tally();
  const slowest: Record<string, number> = {};
  for (const [kind, list] of latencies) slowest[kind] = Math.max(...list);
  parentPort!.postMessage({ outcomes: Object.fromEntries(outcomes), slowest });
});
