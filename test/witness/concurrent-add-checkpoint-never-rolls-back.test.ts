// The race of c2sp.org/tlog-witness: request A (size N) and request B (size N+K) checked at
// once, B stored and cosigned, then A stored — "rolling back K leaves". Many clients push the
// same log to different sizes at once, learning the witness's size from each 409 as a log
// does; whatever the interleaving, the stored size ends equal to the largest size cosigned,
// with that tree's root. Once in one process over a real port, once with two witness processes
// on one database, which must then also come back with the same state after a restart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cosignatureVerifier, generateCosignatureKey, openNote, type AddCheckpointRequest } from '../../src/tlog/index.js';
import { writeSignerKeyFile } from '../../src/commands/signer-key-file.js';
import { submitToWitness } from '../../src/witness/witness-client.js';
import { openWitnessStore } from '../../src/witness/witness-store.js';
import { openTestWitness, ORIGIN, scratchDir, startWitnessProcess, TestLog, type WitnessProcess } from './support/witness-fixture.js';

const LOG_SIZE = 400;
const CLIENTS = 40;

let log: TestLog;
before(async () => {
  log = await TestLog.ofSize(LOG_SIZE);
});

/** A deterministic spread of target sizes over 1..LOG_SIZE, every client its own. */
function targets(): number[] {
  return Array.from({ length: CLIENTS }, (_, i) => 1 + ((i * 7919) % LOG_SIZE));
}

/**
 * One log client: from what it believes the witness holds (0 at first), asks for `target`;
 * on 409 it takes the witness's size and tries again, until cosigned or overtaken.
 */
async function push(prefixes: readonly string[], target: number, verifierKey: string): Promise<number | null> {
  let known = 0;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (known > target) return null;
    const request: AddCheckpointRequest = await log.request(known, target);
    const answer = await submitToWitness(prefixes[attempt % prefixes.length]!, request, 10_000);
    if (answer.status === 200) {
      openNote(request.checkpoint + answer.cosignatures!.join(''), [cosignatureVerifier(verifierKey)]);
      return target;
    }
    assert.equal(answer.status, 409, `target ${target} from ${known}: ${answer.status} ${answer.error}`);
    known = answer.size!;
  }
  throw new Error(`target ${target}: no outcome after 50 attempts`);
}

async function race(prefixes: readonly string[], verifierKey: string): Promise<number[]> {
  const outcomes = await Promise.all(targets().map((target) => push(prefixes, target, verifierKey)));
  return outcomes.filter((size): size is number => size !== null);
}

describe('concurrent add-checkpoint requests never roll the witness back', () => {
  it('one witness process, 40 clients at once over HTTP', async () => {
    const witness = await openTestWitness([{ origin: ORIGIN, verifierKey: log.key.verifierKey }]);
    try {
      const prefix = await witness.app.listen({ host: '127.0.0.1', port: 0 });
      const cosigned = await race([prefix], witness.verifierKey);
      assert.ok(cosigned.length > 1, `only ${cosigned.length} cosigned: the race did not happen`);
      const stored = witness.store.latest(ORIGIN)!;
      assert.equal(stored.size, Math.max(...cosigned), `cosigned ${cosigned.join(', ')}`);
      assert.deepEqual(Buffer.from(stored.rootHash), Buffer.from(await log.rootHash(stored.size)));
    } finally {
      await witness.close();
    }
  });

  describe('two witness processes on one data directory', () => {
    let dataDir: string;
    let keyFile: string;
    let processes: WitnessProcess[] = [];
    before(() => {
      dataDir = scratchDir('two');
      keyFile = path.join(dataDir, 'witness.key');
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      writeSignerKeyFile(keyFile, generateCosignatureKey('witness.example/w2').signerKey);
    });
    after(async () => {
      for (const p of processes) await p.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const args = () => ['--data-dir', dataDir, '--key-file', keyFile, '--log', log.key.verifierKey];

    it('40 clients spread over both: the stored size is the largest cosigned', async () => {
      processes = await Promise.all([startWitnessProcess(args()), startWitnessProcess(args())]);
      assert.equal(processes[0]!.verifierKey, processes[1]!.verifierKey);
      const cosigned = await race(
        processes.map((p) => p.url),
        processes[0]!.verifierKey,
      );
      assert.ok(cosigned.length > 1, `only ${cosigned.length} cosigned`);
      for (const p of processes) assert.equal(await p.stop(), 0, p.stderr());
      processes = [];
      const store = openWitnessStore(dataDir);
      try {
        assert.equal(store.latest(ORIGIN)!.size, Math.max(...cosigned), `cosigned ${cosigned.join(', ')}`);
      } finally {
        store.close();
      }
    });

    it('after a restart the witness prints the same verifier key and holds the same size', async () => {
      const store = openWitnessStore(dataDir);
      const size = store.latest(ORIGIN)!.size;
      store.close();
      const witness = await startWitnessProcess(args());
      processes = [witness];
      assert.match(witness.stdout(), new RegExp(`witnessing 1 log: ${ORIGIN.replace('.', '\\.')}\\n`));
      const answer = await submitToWitness(witness.url, await log.request(0, LOG_SIZE), 5_000);
      assert.equal(answer.status, 409);
      assert.equal(answer.size, size);
      assert.equal((await submitToWitness(witness.url, await log.request(size, size), 5_000)).status, 200);
    });
  });
});
