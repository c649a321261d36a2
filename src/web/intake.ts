import { createSubmission, type CreatedSubmission } from '../commands/submission-creator.js';
import { ServiceError } from '../domain/service-error.js';
import { validateSubmission } from '../domain/submission.js';
import type { AppContext } from './app-context.js';

/**
 * The one path every public submission takes, from the API or the form:
 * validate → proof-of-work → rate limit → store durably. Nothing is written unless all pass.
 * `address` is the client address; it is used here in memory only and never stored.
 */
export async function receiveSubmission(ctx: AppContext, body: unknown, address: string): Promise<CreatedSubmission> {
  const validation = validateSubmission(body, ctx.config.ageRecipients.length > 0);
  if (!validation.ok) throw new ServiceError(validation.errors);
  const altcha = (body as Record<string, unknown>).altcha;
  const proof = await ctx.proofOfWork.verify(altcha);
  if (proof === 'invalid') throw new ServiceError({ code: 'proof_of_work_invalid', field: 'altcha' });
  if (proof === 'replayed') throw new ServiceError({ code: 'proof_of_work_replayed', field: 'altcha' });
  const verified = proof === 'verified';
  const limits = ctx.config.rateLimits;
  if (limits.enabled) {
    const decision = verified
      ? ctx.limiter.hit('submit-verified', address, limits.verifiedPerHour)
      : ctx.limiter.hit('submit-unverified', address, limits.unverifiedPerHour);
    if (!decision.allowed) throw new ServiceError({ code: 'rate_limited' }, { retryAfterSeconds: decision.retryAfterSeconds });
  }
  return createSubmission(
    { ageRecipients: ctx.config.ageRecipients, writer: ctx.writer },
    validation.value,
    { proofOfWork: verified },
  );
}

/** Counts a receipt look-up or retraction against its limit; throws `rate_limited` when over. */
export function limitReceiptUse(ctx: AppContext, address: string): void {
  const limits = ctx.config.rateLimits;
  if (!limits.enabled) return;
  const decision = ctx.limiter.hit('receipt', address, limits.receiptPerHour);
  if (!decision.allowed) throw new ServiceError({ code: 'rate_limited' }, { retryAfterSeconds: decision.retryAfterSeconds });
}
