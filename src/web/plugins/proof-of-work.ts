import { randomBytes } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib';

type Challenge = Awaited<ReturnType<typeof createChallenge>>;

const CHALLENGE_LIFETIME_MS = 20 * 60_000;

export type ProofOfWorkResult = 'none' | 'verified' | 'invalid' | 'replayed';

/**
 * ALTCHA proof-of-work (https://altcha.org/docs/): the server signs a challenge, the browser
 * finds the number whose hash matches, and the server checks the signature, the expiry and
 * that the same solution was not used before. Used solutions are remembered in memory until
 * they expire.
 */
export class ProofOfWork {
  private readonly hmacKey: string;
  private readonly maxNumber: number;
  private readonly used = new Map<string, number>();

  constructor(options: { hmacKey: string | undefined; maxNumber: number }, private readonly now: () => number = Date.now) {
    this.hmacKey = options.hmacKey ?? randomBytes(32).toString('base64url');
    this.maxNumber = options.maxNumber;
  }

  /** A fresh signed challenge for the browser to solve. */
  challenge(): Promise<Challenge> {
    return createChallenge({
      hmacKey: this.hmacKey,
      maxNumber: this.maxNumber,
      expires: new Date(this.now() + CHALLENGE_LIFETIME_MS),
    });
  }

  /** Checks a base64 ALTCHA payload; a solution counts only the first time. */
  async verify(payload: unknown): Promise<ProofOfWorkResult> {
    if (payload === undefined || payload === null || payload === '') return 'none';
    if (typeof payload !== 'string' || payload.length > 2_000) return 'invalid';
    let ok = false;
    try {
      ok = await verifySolution(payload, this.hmacKey, true);
    } catch {
      ok = false;
    }
    if (!ok) return 'invalid';
    // Every challenge issued here expires; one without an expiry was not issued here.
    const expires = Number(extractParams(payload).expires) * 1000;
    if (!(expires > 0)) return 'invalid';
    const signature = String(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')).signature);
    this.forgetExpired();
    if (this.used.has(signature)) return 'replayed';
    this.used.set(signature, expires);
    return 'verified';
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [signature, expires] of this.used) if (expires < now) this.used.delete(signature);
  }
}
