/**
 * Errors that say the database cannot be used just now — PostgreSQL down, restarting or out of
 * connections, a connection lost or timed out, SQLite's disk full or locked too long — as
 * opposed to errors of one request (a constraint, a bad value). The first are answered with
 * 503 `unavailable` and `Retry-After` (error-handler.tsx), and a group commit does not retry
 * such a batch item by item (group-commit.ts): every item would fail the same way.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, syscall, message } = error as { code?: unknown; syscall?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (SQLSTATE_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code) || NETWORK_CODES.has(code)) return true;
    // A unix socket that is not there: the PostgreSQL server is stopped.
    if (code === 'ENOENT' && syscall === 'connect') return true;
  }
  if (typeof message === 'string' && PG_CONNECTION_MESSAGES.some((m) => message.startsWith(m))) return true;
  // Several addresses tried (AggregateError), or an error wrapping its cause.
  const nested = [...((error as { errors?: unknown[] }).errors ?? []), (error as { cause?: unknown }).cause];
  return nested.some((e) => isDatabaseUnavailable(e, depth + 1));
}

/**
 * PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * class 08 connection exception; 53 insufficient resources (disk full, out of memory, too many
 * connections); 57P01–57P05 the server is shutting down, crashed, not yet accepting connections
 * or the session was ended; 57014 a statement cancelled (statement timeout); 25006 a read-only
 * transaction (a standby during a fail-over).
 */
const SQLSTATE_UNAVAILABLE = /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-5]|57014|25006)$/;

/** SQLite (https://sqlite.org/rescode.html): disk full, I/O errors, busy past busy_timeout, cannot open, out of memory. */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|NOMEM|PROTOCOL)(_[A-Z_]+)?$/;

/** Node's network and file-system errors for a server that cannot be reached, or a disk that is full. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOSPC',
  'EDQUOT',
]);

/** What pg and its pool say when a connection could not be made or was lost (they set no code). */
const PG_CONNECTION_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Postgres connection has been discarded',
];

/** A short description for the log: the code and message only, never a query or its values. */
export function describeDatabaseError(error: unknown): { code: string | undefined; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message.slice(0, 200) : String(error) };
}
