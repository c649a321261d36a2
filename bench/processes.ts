// Child processes of the ingest benchmark (the app under test, the echo baseline) and the CPU
// accounting read from /proc, so each figure comes with what it cost.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface Child {
  name: string;
  process: ChildProcess;
  port: number;
  /** The last lines the child wrote, for error messages. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the child has gone. */
  exited: Promise<string>;
}

/**
 * Starts `node …args` and waits for the line in which it announces `http://127.0.0.1:PORT`.
 * Fails with the child's own output if it exits or stays silent for `timeoutMs`.
 */
export function startChild(
  name: string,
  nodeArgs: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Child> {
  const child = spawn(process.execPath, nodeArgs, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? String(signal) : String(code))),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${tail}`));
    }, options.timeoutMs ?? 60_000);
    let announced = false;
    const onData = (chunk: Buffer) => {
      keep(chunk);
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(tail);
      if (match && !announced) {
        announced = true;
        clearTimeout(timer);
        resolve({ name, process: child, port: Number(match[1]), output: () => tail, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', keep);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((how) => {
      if (!announced) {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${how}) before it was ready:\n${tail}`));
      }
    });
  });
}

/** Stops a child we started, by its own pid only, and waits for it to go. */
export async function stopChild(child: Child, signal: NodeJS.Signals, graceMs = 15_000): Promise<string> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.exited;
  child.process.kill(signal);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  const how = await child.exited;
  clearTimeout(timer);
  return how;
}

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux (getconf CLK_TCK)

/** CPU time (user + system) a process has used so far, in ms; NaN where /proc is unavailable. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS; // utime, stime (fields 14, 15)
  } catch {
    return Number.NaN;
  }
}

export interface MachineSample {
  /** Jiffies of all CPUs: busy (not idle/iowait), iowait, steal, total. */
  busy: number;
  iowait: number;
  steal: number;
  total: number;
}

/** Whole-machine CPU counters from /proc/stat, to see what else ran during a window. */
export function machineSample(): MachineSample {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
    const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + (steal ?? 0);
    return { busy: total - idle! - iowait!, iowait: iowait!, steal: steal ?? 0, total };
  } catch {
    return { busy: Number.NaN, iowait: Number.NaN, steal: Number.NaN, total: Number.NaN };
  }
}
