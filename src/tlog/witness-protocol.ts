/**
 * The tlog-witness `add-checkpoint` exchange, without the HTTP around it: the request body
 *
 *     old <size of the checkpoint the witness last cosigned>
 *     <consistency proof hash, base64>   (0 to 63 lines; none when old is 0)
 *     <empty line>
 *     <the signed checkpoint note>
 *
 * and the answers: cosignature lines (200), or the witness's current size (409,
 * `text/x.tlog.size`). The witness itself comes later; this is the wire format it will speak.
 * https://c2sp.org/tlog-witness#add-checkpoint
 */
import { decodeBase64, decodeUtf8, encodeBase64, parseDecimal } from './encoding.js';
import { MalformedError } from './errors.js';
import { HASH_SIZE, requireCount, requireHash, type Hash } from './hash.js';
import { parseNote, parseSignatureLines, type NoteSignature } from './note.js';

/** The most consistency proof lines a request may carry. */
export const MAX_CONSISTENCY_PROOF_LINES = 63;

/** Content type of the 409 answer, whose body is the witness's latest cosigned size. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** The HTTP statuses of add-checkpoint, by what they mean. */
export const WITNESS_STATUS = {
  /** Cosigned: the body is the cosignature lines. */
  cosigned: 200,
  /** The request is malformed, or its old size exceeds the checkpoint's size. */
  badRequest: 400,
  /** No signature on the checkpoint verifies against a key trusted for its origin. */
  untrustedSignature: 403,
  /** The checkpoint's origin is not a log this witness follows. */
  unknownLog: 404,
  /** The old size is not what the witness last cosigned, or the same size has another root hash. */
  conflict: 409,
  /** The consistency proof does not verify. */
  inconsistent: 422,
} as const;

/** An add-checkpoint request. */
export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly consistencyProof: readonly Hash[];
  /** The signed checkpoint note, signatures included. */
  readonly checkpoint: string;
}

/** The request body. */
export function formatAddCheckpointRequest(request: AddCheckpointRequest): string {
  requireCount(request.oldSize, 'old size');
  checkProofLength(request.oldSize, request.consistencyProof.length);
  parseNote(request.checkpoint);
  const proof = request.consistencyProof.map((hash) => (requireHash(hash, 'consistency proof hash'), `${encodeBase64(hash)}\n`));
  return `old ${request.oldSize}\n${proof.join('')}\n${request.checkpoint}`;
}

/**
 * Reads a request body strictly: {@link MalformedError} for anything a witness answers 400
 * without looking further. The checkpoint is checked to be a signed note, not yet verified.
 */
export function parseAddCheckpointRequest(body: Uint8Array | string): AddCheckpointRequest {
  const text = typeof body === 'string' ? body : decodeUtf8(body);
  if (text === null) throw new MalformedError('add-checkpoint request', 'not valid UTF-8');
  const lines = text.split('\n');
  const old = /^old (.*)$/.exec(lines[0] ?? '');
  const oldSize = old ? parseDecimal(old[1]!) : null;
  if (oldSize === null || lines.length < 2) throw new MalformedError('add-checkpoint request', 'the first line must be "old <size>"');
  const blank = lines.indexOf('', 1);
  if (blank < 0) throw new MalformedError('add-checkpoint request', 'no empty line before the checkpoint');
  const proofLines = lines.slice(1, blank);
  checkProofLength(oldSize, proofLines.length);
  const consistencyProof = proofLines.map((line) => {
    const hash = decodeBase64(line);
    if (hash === null || hash.length !== HASH_SIZE) throw new MalformedError('add-checkpoint request', `a proof line is not base64 of ${HASH_SIZE} bytes`);
    return hash;
  });
  const checkpoint = lines.slice(blank + 1).join('\n');
  parseNote(checkpoint);
  return { oldSize, consistencyProof, checkpoint };
}

/** The body of a 409 answer: the size the witness last cosigned for the log. */
export function formatConflictBody(size: number): string {
  requireCount(size, 'size');
  return `${size}\n`;
}

/** Reads a 409 answer's body. */
export function parseConflictBody(body: string): number {
  const size = body.endsWith('\n') ? parseDecimal(body.slice(0, -1)) : null;
  if (size === null) throw new MalformedError('tlog size', 'not a decimal size and a newline');
  return size;
}

/** Reads a 200 answer's body: one or more cosignature lines, to add to the checkpoint. */
export function parseCosignatureResponse(body: string): NoteSignature[] {
  return parseSignatureLines(body);
}

function checkProofLength(oldSize: number, lines: number): void {
  if (lines > MAX_CONSISTENCY_PROOF_LINES) throw new MalformedError('add-checkpoint request', `more than ${MAX_CONSISTENCY_PROOF_LINES} proof lines`);
  if (oldSize === 0 && lines > 0) throw new MalformedError('add-checkpoint request', 'a proof from size 0 must be empty');
}
