import { ServiceError } from '../domain/service-error.js';
import type { Database } from '../storage/database.js';
import { listStaffNames } from '../storage/staff.repository.js';
import type { AccountThrottle } from '../web/plugins/account-throttle.js';
import type { RateDecision, RateLimiter } from '../web/plugins/rate-limiter.js';

/**
 * Failed sign-ins allowed per hour, per account and per address, before the form answers 429.
 * Only failures count; the windows live in memory only.
 */
export const SIGN_IN_LIMITS = { perAccount: 10, perAddress: 30 } as const;

export interface SignInThrottles {
  database: Database;
  /** Per address (an HMAC, as every rate limit), and per name that is no account. */
  limiter: RateLimiter;
  /** Per existing account, by id: a store of its own that no other name can push out. */
  accounts: AccountThrottle;
}

/** One attempt's slots, taken before the (slow) password check; given back if it succeeds. */
export interface SignInAttempt {
  refused: ServiceError | null;
  giveBack(): void;
}

/** The account a name means, for its window: case and width do not make a new account. */
export function accountKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/**
 * Takes one attempt's slots: the address's, and the account's — by id for names of existing
 * accounts, by name (in the bounded anonymous store) for others, so that an unknown name is
 * throttled the same way and the answers do not tell which names exist.
 */
export async function takeSignInAttempt(throttles: SignInThrottles, name: string, address: string): Promise<SignInAttempt> {
  const { limiter, accounts } = throttles;
  // The address first, and alone if it is over: a flood from one address costs no database read.
  const byAddress = limiter.hit('sign-in-address', address, SIGN_IN_LIMITS.perAddress);
  if (!byAddress.allowed) return { refused: rateLimited([byAddress]), giveBack: () => limiter.giveBack('sign-in-address', address) };
  const key = accountKey(name);
  const ids = (await listStaffNames(throttles.database.db)).filter((u) => accountKey(u.name) === key).map((u) => u.id);
  // Counted without awaiting in between: a burst of parallel guesses counts one by one and
  // cannot all pass.
  const decisions: RateDecision[] = [byAddress];
  if (ids.length === 0) decisions.push(limiter.hit('sign-in-name', key, SIGN_IN_LIMITS.perAccount));
  for (const id of ids) decisions.push(accounts.hit(id, SIGN_IN_LIMITS.perAccount));
  return {
    refused: rateLimited(decisions),
    giveBack: () => {
      limiter.giveBack('sign-in-address', address);
      if (ids.length === 0) limiter.giveBack('sign-in-name', key);
      for (const id of ids) accounts.giveBack(id);
    },
  };
}

/** `rate_limited` with the longest wait of the decisions that refused, or null if none did. */
function rateLimited(decisions: RateDecision[]): ServiceError | null {
  const over = decisions.filter((d) => !d.allowed);
  if (over.length === 0) return null;
  return new ServiceError({ code: 'rate_limited' }, { retryAfterSeconds: Math.max(...over.map((d) => d.retryAfterSeconds)) });
}
