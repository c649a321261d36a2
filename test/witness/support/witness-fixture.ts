// What the witness tests share: a log kept in memory that signs its checkpoints (and can be made
// to lie), add-checkpoint request bodies built with the tlog library, and a witness over a fresh
// data directory, ready for app.inject() or a real port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  formatAddCheckpointRequest,
  formatCheckpoint,
  generateCosignatureKey,
  generateKey,
  noteSigner,
  proveTree,
  signNote,
  treeHash,
  type AddCheckpointRequest,
} from '../../../src/tlog/index.js';
import { trustedLogs, type TrustedLogKey } from '../../../src/witness/trusted-logs.js';
import { Witness } from '../../../src/witness/witness.js';
import { buildWitnessApp } from '../../../src/witness/witness-app.js';
import { readWitnessKey } from '../../../src/witness/witness-key.js';
import { openWitnessStore, type WitnessStore } from '../../../src/witness/witness-store.js';
import { writeSignerKeyFile } from '../../../src/commands/signer-key-file.js';
import { childEnv, RCENTER, ROOT } from '../../support/server-process.js';
import { MemoryLog } from '../../tlog/support/memory-log.js';
import { leafData } from '../../tlog/support/merkle-reference.js';

export const ORIGIN = 'rc.example/log';

/** A log: its records in memory, its signing key, its signed checkpoints and consistency proofs. */
export class TestLog {
  readonly key: { signerKey: string; verifierKey: string };
  private constructor(
    readonly memory: MemoryLog,
    readonly origin: string,
    key?: { signerKey: string; verifierKey: string },
  ) {
    this.key = key ?? generateKey(origin);
  }

  /** A log of `size` records "leaf 0", "leaf 1", … */
  static async ofSize(size: number, origin = ORIGIN): Promise<TestLog> {
    return new TestLog(await MemoryLog.ofSize(size), origin);
  }

  /**
   * The same log key over another history: the first `common` records as this log's, then
   * different ones, up to `size` — a log that forked (what a witness exists to catch).
   */
  async fork(common: number, size: number): Promise<TestLog> {
    const memory = new MemoryLog();
    for (let i = 0; i < size; i++) await memory.append(i < common ? leafData(i) : Buffer.from(`forked leaf ${i}`));
    return new TestLog(memory, this.origin, this.key);
  }

  async rootHash(size: number): Promise<Uint8Array> {
    return treeHash(size, this.memory.reader);
  }

  /** The checkpoint of the tree of `size`, signed by the log key (or by `signerKeys`). */
  async checkpoint(size: number, options: { signerKeys?: string[]; extensions?: string[] } = {}): Promise<string> {
    const text = formatCheckpoint({ origin: this.origin, size, rootHash: await this.rootHash(size), extensions: options.extensions ?? [] });
    return signNote({ text }, (options.signerKeys ?? [this.key.signerKey]).map(noteSigner));
  }

  /** The request to go from `oldSize` to `size`, with the consistency proof between them. */
  async request(oldSize: number, size: number): Promise<AddCheckpointRequest> {
    const consistencyProof = oldSize === 0 ? [] : await proveTree(size, oldSize, this.memory.reader);
    return { oldSize, consistencyProof, checkpoint: await this.checkpoint(size) };
  }

  async body(oldSize: number, size: number): Promise<string> {
    return formatAddCheckpointRequest(await this.request(oldSize, size));
  }
}

export interface TestWitness {
  app: FastifyInstance;
  store: WitnessStore;
  dataDir: string;
  verifierKey: string;
  keyFile: string;
  /** Every log line the app wrote. */
  logs: string[];
  /** The witness's clock (epoch ms); tests may set it. */
  clock: { now: number };
  close(): Promise<void>;
}

/** A fresh scratch directory under the OS's temporary directory, for the caller to remove. */
export function scratchDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rc-witness-${label}-`));
}

/**
 * A witness following `logs`, over `dataDir` (a new one by default) with the key in `keyFile`
 * (created there when missing). Reopening the same directory and key is a restart.
 */
export async function openTestWitness(
  logs: readonly TrustedLogKey[],
  options: { dataDir?: string; keyFile?: string; logLevel?: 'debug' | 'warn' } = {},
): Promise<TestWitness> {
  const dataDir = options.dataDir ?? scratchDir('data');
  const keyFile = options.keyFile ?? path.join(dataDir, 'witness.key');
  fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(keyFile)) writeSignerKeyFile(keyFile, generateCosignatureKey('witness.example/w1').signerKey);
  const clock = { now: Date.UTC(2026, 11, 1, 12, 0, 0) };
  const key = readWitnessKey(keyFile, () => clock.now);
  const store = openWitnessStore(dataDir);
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = buildWitnessApp(new Witness(store, trustedLogs(logs), key.cosigner), { logStream, logLevel: options.logLevel ?? 'warn' });
  await app.ready();
  return {
    app,
    store,
    dataDir,
    keyFile,
    verifierKey: key.verifierKey,
    logs: lines,
    clock,
    close: async () => {
      await app.close();
      store.close();
      // A directory the caller named is the caller's to remove (it may be reopened: a restart).
      if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a body to /add-checkpoint through inject(). */
export async function addCheckpoint(witness: TestWitness, body: string | Buffer, headers: Record<string, string> = {}) {
  return witness.app.inject({ method: 'POST', url: '/add-checkpoint', payload: body, headers: { 'content-type': 'text/plain', ...headers } });
}

/** A `rcenter witness serve` child process. */
export interface WitnessProcess {
  url: string;
  /** The verifier key it printed on start. */
  verifierKey: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const SERVING = /rcenter: witness serving on (http:\/\/\S+) /;
const VERIFIER = /rcenter: witness verifier key: (\S+)\n/;

/** Starts `rcenter witness serve …args` and resolves once it says where it serves. */
export function startWitnessProcess(args: string[], timeoutMs = 30_000): Promise<WitnessProcess> {
  const child = spawn(process.execPath, [RCENTER, 'witness', 'serve', '--port', '0', ...args], { cwd: ROOT, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rcenter witness serve did not start\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`rcenter witness serve exited (${code}) before serving\nstdout: ${out}\nstderr: ${err}`));
    });
    child.stdout!.on('data', () => {
      const serving = SERVING.exec(out);
      const key = VERIFIER.exec(out);
      if (!serving || !key) return;
      clearTimeout(timer);
      resolve({
        url: serving[1]!,
        verifierKey: key[1]!,
        stdout: () => out,
        stderr: () => err,
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
