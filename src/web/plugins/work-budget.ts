import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../../domain/service-error.js';
import { networkOf } from './rate-limiter.js';

const DAY = 86_400_000;
/** Most clients tracked at once; beyond it new clients are served untracked (see `charge`). */
export const MAX_TRACKED_CLIENTS = 100_000;
/** What every request costs at least, in ms, however quickly it is answered: floods of cheap requests count. */
export const MINIMUM_CHARGE_MS = 0.25;
/** Most ms one request is charged: a request held up by the database is not all its client's doing, and a client that overspent (several expensive requests at once) waits minutes, not hours. */
const MAXIMUM_CHARGE_MS = 1_000;
/** Most tracked clients looked at to make room for a new one. */
const MAKE_ROOM_SCAN = 64;

export interface WorkBudgetSettings {
  /** Server time each client earns per second, in ms (RATE_LIMIT_WORK_MS_PER_SECOND); 0 turns the budget off. */
  msPerSecond: number;
  /** Most server time a client can save up and spend at once, in ms (RATE_LIMIT_WORK_BURST_MS). */
  burstMs: number;
}

interface Balance {
  ms: number;
  at: number;
}

/**
 * How much of the service one client may take: a token bucket of server time per client,
 * refilled at `msPerSecond` up to `burstMs`. Each request is charged the time its handler took
 * (from the body read to the answer ready, so a slow link costs its client nothing) and at least
 * MINIMUM_CHARGE_MS. A client whose balance is spent is refused until it has earned some back,
 * whatever it asks for: cheap cache hits and expensive searches are counted in the same unit, so
 * no list of "expensive" routes can go out of date.
 *
 * Like RateLimiter, the address is never kept (promise 1): only an HMAC of its network under a
 * random key that lives in this process's memory and is replaced every day. Memory is bounded:
 * clients whose balance is full again are forgotten (a full balance is the same as none), and
 * when MAX_TRACKED_CLIENTS still spend, a new client is served without being tracked — readers
 * keep being served during a flood of new addresses, and no flood can refill a spent balance.
 */
export class WorkBudget {
  private key = randomBytes(32);
  private keyCreated: number;
  private readonly balances = new Map<string, Balance>();

  constructor(
    private readonly settings: WorkBudgetSettings,
    private readonly now: () => number = Date.now,
    private readonly maxClients: number = MAX_TRACKED_CLIENTS,
  ) {
    this.keyCreated = now();
  }

  get enabled(): boolean {
    return this.settings.msPerSecond > 0;
  }

  /** The client identifier a request is counted under (an HMAC, never the address). */
  clientOf(address: string): string {
    const now = this.now();
    if (now - this.keyCreated >= DAY) {
      this.key = randomBytes(32);
      this.keyCreated = now;
      this.balances.clear();
    }
    return createHmac('sha256', this.key).update(networkOf(address)).digest().toString('base64url', 0, 16);
  }

  /** Seconds until `client` may be served again: 0 when it has budget left. */
  waitSeconds(client: string): number {
    const balance = this.balances.get(client);
    if (!balance) return 0;
    const ms = this.refilled(balance);
    return ms > 0 ? 0 : Math.max(1, Math.ceil((-ms + MINIMUM_CHARGE_MS) / this.settings.msPerSecond));
  }

  /** Takes `ms` of server time (at least MINIMUM_CHARGE_MS) from `client`'s balance. */
  charge(client: string, ms: number): void {
    const cost = Math.min(MAXIMUM_CHARGE_MS, Math.max(MINIMUM_CHARGE_MS, ms));
    const now = this.now();
    let balance = this.balances.get(client);
    if (balance) {
      balance.ms = this.refilled(balance) - cost;
      balance.at = now;
      // Re-inserted last: the map stays ordered by last charge, oldest first, for `makeRoom`.
      this.balances.delete(client);
      this.balances.set(client, balance);
      return;
    }
    if (this.balances.size >= this.maxClients) this.makeRoom();
    if (this.balances.size >= this.maxClients) return;
    balance = { ms: this.settings.burstMs - cost, at: now };
    this.balances.set(client, balance);
  }

  /** Clients tracked now, for tests of the memory bound. */
  get size(): number {
    return this.balances.size;
  }

  private refilled(balance: Balance): number {
    return Math.min(this.settings.burstMs, balance.ms + ((this.now() - balance.at) / 1000) * this.settings.msPerSecond);
  }

  /**
   * Forgets the clients whose balance is full again, looking at no more than MAKE_ROOM_SCAN of the
   * longest unseen (a client still spending goes to the back): bounded work per new client.
   */
  private makeRoom(): void {
    let looked = 0;
    for (const [client, balance] of this.balances) {
      if (looked++ >= MAKE_ROOM_SCAN) break;
      this.balances.delete(client);
      if (this.refilled(balance) < this.settings.burstMs) this.balances.set(client, balance);
    }
  }
}

export interface WorkBudgetOptions {
  /** How long a refusal is held before it is sent, in ms: a client looping on refusals is slowed to one a second per connection. */
  holdRefusalMs?: number;
  /** Most refusals held at once; beyond it refusals are sent at once (holding costs a socket and a timer). */
  maxHeld?: number;
}

const CHARGED = Symbol('work budget client');
const STARTED = Symbol('work budget start');

interface Charged {
  [CHARGED]?: string;
  [STARTED]?: number;
}

/**
 * Refuses a client whose budget is spent with 429 `rate_limited` and `Retry-After`, from its
 * headers alone (before its body is read), holding the refusal a moment (`holdRefusalMs`) so that
 * a client that asks again at once does not turn refusals into a flood of their own.
 *
 * Not charged: `/healthz` (monitors), and staff actions that change something (POSTs under
 * `/staff/` and `/api/v1/staff/`: deliberate, audited, and some, like bulk approval, long by
 * nature). Staff views are charged like any page.
 */
export function registerWorkBudget(app: FastifyInstance, budget: WorkBudget, options: WorkBudgetOptions = {}): void {
  if (!budget.enabled) return;
  const holdMs = options.holdRefusalMs ?? 1_000;
  const maxHeld = options.maxHeld ?? 1_000;
  let held = 0;
  app.addHook('onRequest', (request, reply, done) => {
    if (!isCharged(request)) return done();
    const client = budget.clientOf(request.ip);
    const wait = budget.waitSeconds(client);
    if (wait === 0) {
      (request as Charged)[CHARGED] = client;
      return done();
    }
    const refusal = new ServiceError({ code: 'rate_limited' }, { retryAfterSeconds: wait });
    if (holdMs <= 0 || held >= maxHeld) return done(refusal);
    held++;
    let sent = false;
    const send = (): void => {
      if (sent) return;
      sent = true;
      held--;
      clearTimeout(timer);
      reply.raw.off('close', send);
      done(refusal);
    };
    const timer = setTimeout(send, holdMs);
    reply.raw.once('close', send);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const charged = request as Charged;
    if (charged[CHARGED] !== undefined) charged[STARTED] = performance.now();
    done();
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    const charged = request as Charged;
    const client = charged[CHARGED];
    if (client !== undefined) {
      const started = charged[STARTED];
      budget.charge(client, started === undefined ? 0 : performance.now() - started);
      charged[CHARGED] = undefined;
    }
    done(null, payload);
  });
}

function isCharged(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0]!;
  if (path === '/healthz') return false;
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  return !(path.startsWith('/staff/') || path.startsWith('/api/v1/staff/'));
}
