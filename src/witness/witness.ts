/**
 * The tlog-witness `add-checkpoint` rules, without HTTP: what a witness answers to a request
 * body, in the order of the specification. https://c2sp.org/tlog-witness#add-checkpoint
 *
 *   400  the body is not a request, the checkpoint is not a checkpoint, or old > checkpoint size
 *   404  the checkpoint's origin is not a log this witness follows
 *   403  no signature by a key trusted for that origin verifies (or one by such a key is bad)
 *   409  old is not the size last cosigned for the log (the body says which, text/x.tlog.size),
 *        or old equals the checkpoint size and the root hashes differ
 *   422  the consistency proof from the cosigned tree to the new one does not verify
 *   200  cosigned: the checkpoint is stored (flushed), the body is the cosignature line
 *
 * The check of the old size, the proof against the stored root and the write of the new
 * checkpoint happen in one transaction, as the specification requires.
 */
import {
  checkTree,
  cosignatureTimestamp,
  formatConflictBody,
  InvalidSignatureError,
  MalformedError,
  openNote,
  parseAddCheckpointRequest,
  parseCheckpoint,
  parseNote,
  parseSignatureLines,
  ProofError,
  signatureLine,
  TLOG_SIZE_CONTENT_TYPE,
  UnverifiedNoteError,
  WITNESS_STATUS,
  type AddCheckpointRequest,
  type Checkpoint,
  type NoteSigner,
} from '../tlog/index.js';
import type { TrustedLogs } from './trusted-logs.js';
import type { WitnessedCheckpoint, WitnessStore } from './witness-store.js';

/** An answer to an add-checkpoint request. */
export interface WitnessAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const TEXT = 'text/plain; charset=utf-8';

/** A witness: the logs it follows, its cosigning key and what it has cosigned. */
export class Witness {
  constructor(
    private readonly store: WitnessStore,
    private readonly logs: TrustedLogs,
    /** A tlog-cosignature/v1 signer (cosigner() of a type 0x04 key), timestamped by its own clock. */
    private readonly cosigner: NoteSigner,
  ) {}

  /** The answer to an add-checkpoint request body. */
  addCheckpoint(body: Uint8Array | string): WitnessAnswer {
    let request: AddCheckpointRequest;
    try {
      request = parseAddCheckpointRequest(body);
    } catch (error) {
      return refusal(error, WITNESS_STATUS.badRequest);
    }
    const { text } = parseNote(request.checkpoint);
    // The origin is read before any signature is checked, only to choose the keys to check with.
    const origin = text.slice(0, text.indexOf('\n'));
    const verifiers = this.logs.get(origin);
    if (verifiers === undefined) return plain(WITNESS_STATUS.unknownLog, `unknown log origin ${JSON.stringify(origin.slice(0, 200))}`);
    let checkpoint: Checkpoint;
    try {
      openNote(request.checkpoint, verifiers);
      checkpoint = parseCheckpoint(text);
    } catch (error) {
      if (error instanceof UnverifiedNoteError || error instanceof InvalidSignatureError) {
        return plain(WITNESS_STATUS.untrustedSignature, 'no signature by a key trusted for this log verifies');
      }
      return refusal(error, WITNESS_STATUS.badRequest);
    }
    if (request.oldSize > checkpoint.size) {
      return plain(WITNESS_STATUS.badRequest, `old size ${request.oldSize} is larger than the checkpoint size ${checkpoint.size}`);
    }
    return this.store.transaction(() => this.advance(request, checkpoint, text));
  }

  /** Inside the transaction: checks the request against the stored checkpoint, then stores and cosigns. */
  private advance(request: AddCheckpointRequest, checkpoint: Checkpoint, text: string): WitnessAnswer {
    const current = this.store.latest(checkpoint.origin);
    const currentSize = current?.size ?? 0;
    if (request.oldSize !== currentSize) return conflict(currentSize);
    if (current !== undefined && current.size === checkpoint.size && Buffer.compare(current.rootHash, checkpoint.rootHash) !== 0) {
      // The same size with another root: a fork (or a confused log); never cosigned.
      return conflict(currentSize);
    }
    if (current !== undefined && current.size > 0) {
      try {
        checkTree(request.consistencyProof, checkpoint.size, checkpoint.rootHash, current.size, current.rootHash);
      } catch (error) {
        if (error instanceof ProofError) return plain(WITNESS_STATUS.inconsistent, `the consistency proof from size ${current.size} to ${checkpoint.size} does not verify`);
        throw error;
      }
    }
    // The whole note text is cosigned, extension lines included (c2sp.org/tlog-cosignature).
    const cosignature = signatureLine(text, this.cosigner);
    const next: WitnessedCheckpoint = {
      origin: checkpoint.origin,
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      checkpoint: request.checkpoint,
      cosignedAt: cosignatureTimestamp(parseSignatureLines(cosignature)[0]!),
    };
    // Inside an IMMEDIATE transaction the row cannot have changed since it was read; the
    // compare-and-swap says so in the statement itself, and fails loudly if it ever did.
    if (!this.store.compareAndSwap(current, next)) throw new Error(`witnessed checkpoint of ${checkpoint.origin} changed during its update`);
    return { status: WITNESS_STATUS.cosigned, contentType: TEXT, body: cosignature };
  }
}

function conflict(size: number): WitnessAnswer {
  return { status: WITNESS_STATUS.conflict, contentType: TLOG_SIZE_CONTENT_TYPE, body: formatConflictBody(size) };
}

function refusal(error: unknown, status: number): WitnessAnswer {
  if (error instanceof MalformedError) return plain(status, error.message);
  throw error;
}

function plain(status: number, message: string): WitnessAnswer {
  return { status, contentType: TEXT, body: `${message}\n` };
}
