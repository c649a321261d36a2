// Summarises a V8 .cpuprofile (from `npm run bench:ingest -- --cpu-prof DIR`): where the app's
// CPU time went, by function (self time) and by package or source file (self time), and the
// inclusive time of a few functions worth watching.
//
//   node --import tsx bench/profile-summary.ts DIR/CPU.….cpuprofile [--top 30]
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } });
if (positionals.length !== 1) {
  process.stderr.write('usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile [--top N]\n');
  process.exit(2);
}
const top = Number(values.top);
// Piped into head(1) and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));
const profile = JSON.parse(fs.readFileSync(positionals[0]!, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node, from the samples and their time deltas.
const self = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (url === '') return '(native/VM)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `pkg ${nm[1]}`;
  if (url.startsWith('node:')) return url;
  const src = /\/(src|bench)\/(.*)$/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  return url;
}
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;

const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);
const selfByFunction = new Map<string, number>();
const selfByPlace = new Map<string, number>();
for (const [id, time] of self) {
  const n = byId.get(id)!;
  add(selfByFunction, label(n), time);
  add(selfByPlace, where(n.callFrame.url), time);
}

// Inclusive time: each sample counts once for every distinct function on its stack.
const inclusive = new Map<string, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
  const seen = new Set<string>();
  for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id)!;
    const key = label(n);
    if (!seen.has(key)) {
      seen.add(key);
      add(inclusive, key, dt);
    }
  }
}

const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)} %`;
const show = (title: string, map: Map<string, number>, n: number, filter: (k: string) => boolean = () => true) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, t] of [...map].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, n)) {
    process.stdout.write(`${pct(t)}  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}\n`);
  }
};

process.stdout.write(`profile: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s wall, ${(total / 1e6).toFixed(1)} s sampled\n`);
show('self time by package / file', selfByPlace, top);
show('self time by function', selfByFunction, top);
show(
  'inclusive time (selected)',
  inclusive,
  top,
  (k) => !/^\((root|program|idle|garbage collector)\)/.test(k) && !/^(anonymous)/.test(k),
);
