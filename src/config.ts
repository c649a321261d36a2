import { cosignatureVerifier } from './tlog/cosignature.js';
import path from 'node:path';

/** Every setting of the service, parsed and checked once at start-up. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; absent means SQLite under `dataDir`. */
  databaseUrl: string | undefined;
  /** age recipients (`age1…`) that private contact details are encrypted to; empty disables the field. */
  ageRecipients: string[];
  /** Fastify's trustProxy: false, a hop count, or a list of proxy addresses. */
  trustProxy: boolean | number | string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Shared by every app process so a challenge issued by one verifies in another. */
  altchaHmacKey: string | undefined;
  altchaMaxNumber: number;
  rateLimits: {
    enabled: boolean;
    /** Submissions per address per hour with a solved proof-of-work. */
    verifiedPerHour: number;
    /** Submissions per address per hour without one (JavaScript off). */
    unverifiedPerHour: number;
    /** Receipt look-ups and retractions per address per hour. */
    receiptPerHour: number;
    /** Open-data files per address per hour that are not cached and must be put together. */
    openDataPerHour: number;
    /** Server time (ms) each client earns per second, whatever it asks for; 0 turns the work budget off. */
    workMsPerSecond: number;
    /** Most server time (ms) a client can save up and spend at once. */
    workBurstMs: number;
  };
  groupCommit: { maxBatch: number; maxQueue: number };
  /** Most requests with a body (POST) being received or handled at once; beyond it 503 at once, body unread. */
  maxPostsInFlight: number;
  /** PostgreSQL: most milliseconds to wait for a connection (new or free in the pool). */
  databaseConnectTimeoutMs: number;
  /** PostgreSQL: most milliseconds to wait for one statement's answer. */
  databaseQueryTimeoutMs: number;
  /** The public address (`https://example.org`), for absolute links in feeds; never taken from a request's Host. */
  publicUrl: string | undefined;
  /** The transparency log's signer key file (an absolute path); unset means `DATA_DIR/log-signing.key`, created on first use. */
  logSigningKeyFile: string | undefined;
  /** Witnesses asked to cosign every new checkpoint (WITNESSES): submission URL and cosignature verifier key. */
  witnesses: { url: string; verifierKey: string }[];
  /** Open data withholds counts from 1 to this minus one (docs/open-data.md); 1 withholds nothing. */
  openDataMinCell: number;
  /** How long data is kept before the retention job deletes it (README "Retention"), in days. */
  retention: {
    /** Rejected and duplicate submissions, from their rejection or duplicate marking. */
    rejectedDays: number;
    /** Private contact ciphertext, from receipt of the submission. */
    contactDays: number;
    /** Answered messages of conversations with declarants (applies once conversations exist). */
    messagesDays: number;
    /** A retracted statement's text, title, names and contact, from its retraction. */
    retractedDays: number;
    /** The originals an editor's redaction replaced, from the statement's publication. */
    editsDays: number;
  };
  /** A request must arrive whole (headers and body) within this time, or its connection is closed (slow-loris). */
  requestTimeoutMs: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/** Raised when settings are wrong; lists every bad one, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the settings from environment variables (see README "Configuration"). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite)');
  }
  const ageRecipients = (env.AGE_RECIPIENTS ?? '').split(/[\s,]+/).filter(Boolean);
  for (const recipient of ageRecipients) {
    if (!/^age1[02-9ac-hj-np-z]{20,}$/.test(recipient)) {
      problems.push(`AGE_RECIPIENTS: "${recipient.slice(0, 12)}…" is not an age recipient (age1…); give public keys, never identities`);
    }
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const altchaHmacKey = env.ALTCHA_HMAC_KEY || undefined;
  if (altchaHmacKey !== undefined && altchaHmacKey.length < 32) {
    problems.push('ALTCHA_HMAC_KEY must be at least 32 characters (or unset for a random key per process)');
  }
  const rateLimitsRaw = env.RATE_LIMITS ?? 'on';
  if (rateLimitsRaw !== 'on' && rateLimitsRaw !== 'off') problems.push('RATE_LIMITS must be "on" or "off"');

  const publicUrl = parsePublicUrl(env.PUBLIC_URL, problems);
  const logSigningKeyFile = parseFilePath('LOG_SIGNING_KEY_FILE', env.LOG_SIGNING_KEY_FILE, problems);
  const witnesses = parseWitnesses(env.WITNESSES, problems);

  const config: Config = {
    host: env.HOST || '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl,
    ageRecipients,
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    logLevel,
    altchaHmacKey,
    altchaMaxNumber: int('ALTCHA_MAX_NUMBER', 100_000, 1_000, 10_000_000),
    rateLimits: {
      enabled: rateLimitsRaw !== 'off',
      verifiedPerHour: int('RATE_LIMIT_VERIFIED_PER_HOUR', 30, 1, 1_000_000),
      unverifiedPerHour: int('RATE_LIMIT_UNVERIFIED_PER_HOUR', 5, 1, 1_000_000),
      receiptPerHour: int('RATE_LIMIT_RECEIPT_PER_HOUR', 60, 1, 1_000_000),
      openDataPerHour: int('RATE_LIMIT_OPEN_DATA_PER_HOUR', 30, 1, 1_000_000),
      workMsPerSecond: int('RATE_LIMIT_WORK_MS_PER_SECOND', 20, 0, 1_000),
      workBurstMs: int('RATE_LIMIT_WORK_BURST_MS', 2_000, 1, 600_000),
    },
    groupCommit: {
      maxBatch: int('GROUP_COMMIT_MAX_BATCH', 256, 1, 10_000),
      maxQueue: int('GROUP_COMMIT_MAX_QUEUE', 10_000, 1, 1_000_000),
    },
    maxPostsInFlight: int('MAX_POSTS_IN_FLIGHT', 1_000, 1, 1_000_000),
    databaseConnectTimeoutMs: int('DATABASE_CONNECT_TIMEOUT_MS', 3_000, 100, 600_000),
    databaseQueryTimeoutMs: int('DATABASE_QUERY_TIMEOUT_MS', 15_000, 100, 3_600_000),
    publicUrl,
    logSigningKeyFile,
    witnesses,
    openDataMinCell: int('OPEN_DATA_MIN_CELL', 10, 1, 1000),
    retention: {
      rejectedDays: int('RETENTION_REJECTED_DAYS', 30, 1, 36_500),
      contactDays: int('RETENTION_CONTACT_DAYS', 180, 1, 36_500),
      messagesDays: int('RETENTION_MESSAGES_DAYS', 180, 1, 36_500),
      retractedDays: int('RETENTION_RETRACTED_DAYS', 7, 1, 36_500),
      editsDays: int('RETENTION_EDITS_DAYS', 30, 1, 36_500),
    },
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Settings that are valid but unsafe, as warnings for the start of `rcenter serve` (stderr).
 * They name settings only, never an address.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.trustProxy === true) {
    warnings.push(
      'TRUST_PROXY=true trusts every X-Forwarded-For hop, so any client can choose the address its rate limits count it under ' +
        '(and so escape them). Set TRUST_PROXY to the number of proxies in front of the service (e.g. 1) or to their addresses.',
    );
  }
  return warnings;
}

/**
 * WITNESSES: entries separated by commas or new lines, each `URL VERIFIER-KEY` — the witness's
 * submission prefix (http or https; `/add-checkpoint` is added) and its tlog-cosignature/v1 key.
 */
function parseWitnesses(raw: string | undefined, problems: string[]): Config['witnesses'] {
  if (raw === undefined || raw.trim() === '') return [];
  const witnesses: Config['witnesses'] = [];
  for (const entry of raw.split(/[,\n]/).map((e) => e.trim()).filter(Boolean)) {
    const [url, verifierKey, ...rest] = entry.split(/\s+/);
    let ok = rest.length === 0 && url !== undefined && verifierKey !== undefined;
    try {
      if (ok && !['http:', 'https:'].includes(new URL(url!).protocol)) ok = false;
      if (ok) cosignatureVerifier(verifierKey!);
    } catch {
      ok = false;
    }
    if (!ok) {
      problems.push(`WITNESSES: "${entry.slice(0, 80)}" is not "URL KEY" (an http(s) URL and a witness's cosignature verifier key, as "rcenter witness keygen" prints it)`);
      continue;
    }
    if (witnesses.some((w) => w.verifierKey === verifierKey)) problems.push(`WITNESSES: the key of ${url} is given twice`);
    else witnesses.push({ url: url!, verifierKey: verifierKey! });
  }
  return witnesses;
}

function parseTrustProxy(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.every((s) => /^[0-9a-fA-F.:/]+$/.test(s))) return list;
  problems.push('TRUST_PROXY must be false, true, a hop count, or a comma-separated list of proxy addresses');
  return false;
}

function parsePublicUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/' && !url.search && !url.hash && !url.username) return url.origin;
  } catch {
    // reported below
  }
  problems.push('PUBLIC_URL must be an http(s) origin such as https://example.org (no path, query or credentials)');
  return undefined;
}

/** A path to a file: resolved against the working directory; one that names a directory (ends in `/`) is refused. */
function parseFilePath(name: string, raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.includes('\0') || raw.endsWith('/') || raw.endsWith(path.sep)) {
    problems.push(`${name} must be the path of a file (got "${raw.slice(0, 80)}")`);
    return undefined;
  }
  return path.resolve(raw);
}
