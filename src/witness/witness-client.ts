/**
 * The log's side of c2sp.org/tlog-witness: asks one witness to cosign a checkpoint. It never
 * throws: an HTTP refusal comes back as its status, a network failure or timeout as status 0
 * with `error`. The cosignatures are read as signature lines, not verified: the caller holds the
 * witness keys it trusts and verifies them on its checkpoint (openNote with cosignatureVerifier).
 */
import { formatAddCheckpointRequest, parseConflictBody, parseCosignatureResponse, TLOG_SIZE_CONTENT_TYPE, WITNESS_STATUS, type AddCheckpointRequest } from '../tlog/index.js';

/** What a witness answered. */
export interface WitnessSubmission {
  /** The HTTP status (200 cosigned, 409 size conflict, …), or 0 when no answer came. */
  readonly status: number;
  /** On 200: the signature lines, each ending in a newline, to append to the checkpoint. */
  readonly cosignatures?: string[];
  /** On 409 with a `text/x.tlog.size` body: the size the witness last cosigned. */
  readonly size?: number;
  /** Why there is no answer, or why a 200 or 409 body could not be read. */
  readonly error?: string;
}

/** The most bytes read from a witness's answer (a few cosignature lines; a message). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs the request to `<submission prefix>/add-checkpoint` and reads the answer, all within
 * `timeoutMs`. `prefix` is the witness's submission prefix (`https://witness.example/w1`).
 */
export async function submitToWitness(prefix: string, request: AddCheckpointRequest, timeoutMs: number): Promise<WitnessSubmission> {
  let response: Response;
  let body: string;
  try {
    const url = new URL(`${prefix.replace(/\/+$/, '')}/add-checkpoint`);
    response = await fetch(url, {
      method: 'POST',
      body: formatAddCheckpointRequest(request),
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      // A POST is not replayed to wherever a redirect points.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await readBounded(response);
  } catch (error) {
    return { status: 0, error: errorText(error) };
  }
  if (response.status === WITNESS_STATUS.cosigned) {
    try {
      parseCosignatureResponse(body);
      return { status: response.status, cosignatures: body.slice(0, -1).split('\n').map((line) => `${line}\n`) };
    } catch (error) {
      return { status: response.status, error: `the witness answered 200 without cosignature lines: ${errorText(error)}` };
    }
  }
  if (response.status === WITNESS_STATUS.conflict && response.headers.get('content-type')?.split(';')[0]?.trim() === TLOG_SIZE_CONTENT_TYPE) {
    try {
      return { status: response.status, size: parseConflictBody(body) };
    } catch (error) {
      return { status: response.status, error: errorText(error) };
    }
  }
  return { status: response.status, error: body.slice(0, 500).trim() || response.statusText };
}

/** The answer's body as text, at most {@link MAX_ANSWER_BYTES}; throws beyond. */
async function readBounded(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    total += value.byteLength;
    if (total > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within the timeout';
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
