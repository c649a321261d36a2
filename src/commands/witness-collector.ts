import type { Config } from '../config.js';
import type { Database } from '../storage/database.js';
import { cosignaturesOf, keepCosignature, latestCosignature } from '../storage/witness-cosignature.repository.js';
import { encodeBase64 } from '../tlog/encoding.js';
import { cosignatureVerifier, openNote, proveTree, type HashReader } from '../tlog/index.js';
import { submitToWitness } from '../witness/witness-client.js';

/** A checkpoint the log signed: its note (text and the log's signature) and what it says. */
export interface SignedCheckpoint {
  note: string;
  size: number;
  rootHash: Uint8Array;
}

/** What one witness did with a checkpoint. */
export interface WitnessOutcome {
  url: string;
  outcome: 'cosigned' | 'already cosigned' | 'refused' | 'unreachable' | 'ahead of the log' | 'forked' | 'bad cosignature';
  /** What the witness said or why it could not be used. */
  detail?: string;
}

export interface CollectorDeps {
  database: Database;
  witnesses: Config['witnesses'];
  /** The log's stored hashes, for consistency proofs. */
  hashes: HashReader;
  timeoutMs?: number;
  /**
   * Ask every witness as if nothing were known of it (from size 0, so a witness at another size
   * says which): after a restore, the rows kept are the backup's, not what the witnesses saw.
   */
  ignoreKept?: boolean;
}

/**
 * Asks every witness, all at once, to cosign `checkpoint` (c2sp.org/tlog-witness): each from the
 * size it last cosigned, with the consistency proof from there; a witness that says it is at
 * another size (409) is asked once more from that size. A cosignature is kept only once it
 * verifies with that witness's key on this very checkpoint. Never throws: a witness that is down
 * or refuses delays nothing but its own cosignature, and is asked again with the next checkpoint.
 *
 * "ahead of the log" means a witness has cosigned a larger tree than this log's: the log was
 * rolled back (an older backup restored) — the history the witnesses saw has entries this
 * database does not have (README "Backup and restore" says how to recover them). "forked" means
 * the tree a witness cosigned is not the start of this one: at the same size with another root
 * (409 for the size it was just given), or a consistency proof from its size it cannot verify (422)
 * — the history was rewritten, or another log was shown to it under this name.
 */
export async function collectCosignatures(deps: CollectorDeps, checkpoint: SignedCheckpoint): Promise<WitnessOutcome[]> {
  return Promise.all(deps.witnesses.map((witness) => askWitness(deps, witness, checkpoint)));
}

async function askWitness(deps: CollectorDeps, witness: Config['witnesses'][number], checkpoint: SignedCheckpoint): Promise<WitnessOutcome> {
  const { url, verifierKey } = witness;
  const rootHash = encodeBase64(checkpoint.rootHash);
  try {
    const kept = deps.ignoreKept ? undefined : await latestCosignature(deps.database.db, verifierKey);
    if (kept && kept.size === checkpoint.size && kept.rootHash === rootHash) return { url, outcome: 'already cosigned' };
    let oldSize = kept && kept.size <= checkpoint.size ? kept.size : 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      const consistencyProof = oldSize === 0 || oldSize === checkpoint.size ? [] : await proveTree(checkpoint.size, oldSize, deps.hashes);
      const answer = await submitToWitness(url, { oldSize, consistencyProof, checkpoint: checkpoint.note }, deps.timeoutMs ?? 5_000);
      if (answer.status === 409 && answer.size !== undefined && attempt === 0) {
        if (answer.size > checkpoint.size) return { url, outcome: 'ahead of the log', detail: `it has cosigned a tree of ${answer.size} entries; this log has ${checkpoint.size}` };
        oldSize = answer.size;
        continue;
      }
      if (answer.status === 409 && answer.size === checkpoint.size && oldSize === checkpoint.size) {
        return { url, outcome: 'forked', detail: `it has cosigned another tree of ${answer.size} entries (another root hash)` };
      }
      if (answer.status === 422) return { url, outcome: 'forked', detail: `the tree of ${oldSize} entries it cosigned is not the start of this one (it refuses the consistency proof)` };
      if (answer.status === 0) return { url, outcome: 'unreachable', detail: answer.error };
      if (answer.status !== 200 || !answer.cosignatures) return { url, outcome: 'refused', detail: `${answer.status}${answer.error ? `: ${answer.error}` : ''}` };
      const signature = verifiedCosignature(checkpoint.note, answer.cosignatures, verifierKey);
      if (!signature) return { url, outcome: 'bad cosignature', detail: 'no cosignature line verifies with its key' };
      await keepCosignature(deps.database.db, verifierKey, { size: checkpoint.size, rootHash, signature });
      return { url, outcome: 'cosigned' };
    }
    return { url, outcome: 'refused', detail: 'its size changed while it was asked' };
  } catch (error) {
    return { url, outcome: 'unreachable', detail: (error as Error).message };
  }
}

/** The line among `lines` that is a valid cosignature of `note`'s checkpoint by `verifierKey`. */
function verifiedCosignature(note: string, lines: readonly string[], verifierKey: string): string | undefined {
  const verifier = cosignatureVerifier(verifierKey);
  for (const line of lines) {
    try {
      const opened = openNote(`${note}${line}`, [verifier]);
      if (opened.signatures.some((s) => s.name === verifier.name && s.keyId === verifier.keyId)) return line;
    } catch {
      // not a valid cosignature by this witness: try the next line
    }
  }
  return undefined;
}

/** The checkpoint as served: the log's note followed by every cosignature kept for it. */
export async function cosignedCheckpoint(database: Database, checkpoint: SignedCheckpoint): Promise<string> {
  const lines = await cosignaturesOf(database.db, checkpoint.size, encodeBase64(checkpoint.rootHash));
  return `${checkpoint.note}${lines.join('')}`;
}

/** The cosignature lines kept for the checkpoint `note` of `size` (its root hash is its third line). */
export async function cosignatureLines(database: Database, note: string, size: number): Promise<string> {
  const rootHash = note.split('\n', 3)[2] ?? '';
  return (await cosignaturesOf(database.db, size, rootHash)).join('');
}
