/**
 * Which database errors are outages rather than bugs (docs/design.md §Faults): the database went
 * away, refused us, or ran out of room. Such an error fails the one operation that met it; callers
 * answer 503 STORAGE_UNAVAILABLE and retry later, and the process carries on. Everything else
 * (a constraint, a syntax error) stays what it is.
 */

export interface StorageFault {
  /** The engine's own code: a PostgreSQL SQLSTATE, an SQLite result code or a Node system error. */
  code: string;
  /** The engine's one-line explanation. */
  reason: string;
  /** Which database, as openDatabase named it (engine and location, password removed); null when unknown. */
  database: string | null;
}

/** PostgreSQL SQLSTATEs of an outage: admin/crash shutdown, cannot connect now, too many connections, disk full. */
const PG_OUTAGE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53100']);
/**
 * Node socket errors meeting a database that is down or unreachable. Only errors marked as coming
 * from a database count: the same codes from a webhook or a push provider are not a storage outage.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** pg's errors of a connection that broke or never came; they carry no code. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Client was closed/,
];

/** The outage behind `error`, or null. An error that wraps another (`cause`) is looked through, a few levels deep. */
export function storageFaultOf(error: unknown, depth = 3): StorageFault | null {
  if (!(error instanceof Error)) return null;
  const code = codeOf(error);
  const database = databaseOf(error);
  if (code !== null && (isOutageCode(code) || (database !== null && SOCKET_CODES.has(code)))) {
    return { code, reason: error.message.split('\n')[0]!, database };
  }
  return depth > 0 && error.cause !== undefined ? storageFaultOf(error.cause, depth - 1) : null;
}

function codeOf(error: Error): string | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  return PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message)) ? 'CONNECTION_LOST' : null;
}

function isOutageCode(code: string): boolean {
  if (code === 'CONNECTION_LOST' || code === 'ENOSPC' || PG_OUTAGE_STATES.has(code)) return true;
  // Class 08: connection exceptions.
  if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  if (code.startsWith('SQLITE_')) return isSqliteOutage(code);
  return false;
}

/**
 * better-sqlite3 names the extended code (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…). A busy
 * error reaches us only past the busy timeout: another process holds the file for that long.
 */
function isSqliteOutage(code: string): boolean {
  return (
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_CANTOPEN'
  );
}

/** Which database an error came from: set once where the query ran (database.ts). */
const origins = new WeakMap<Error, string>();

export function markDatabaseOf(error: unknown, database: string): unknown {
  if (error instanceof Error && !origins.has(error)) origins.set(error, database);
  return error;
}

function databaseOf(error: Error): string | null {
  return origins.get(error) ?? null;
}
