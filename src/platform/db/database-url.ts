/**
 * The database locations queuebell accepts, checked when the configuration loads: an SQLite file
 * path, a `file:` URL (turned into its path), or a `postgres://` / `postgresql://` URL. Anything
 * else with a scheme (`mysql://…`) is a configuration error: openDatabase would otherwise take it
 * for an SQLite file name and quietly create a file called `mysql:`.
 */
import { fileURLToPath } from 'node:url';

// The same test as database.ts's isPostgresUrl, repeated so loading the configuration loads no driver.
const POSTGRES_URL = /^postgres(ql)?:\/\//i;

const ACCEPTED_DATABASE_FORMS =
  'an SQLite file path (data/queue.sqlite), file:///absolute/path.sqlite, postgres://user:password@host:5432/name or postgresql://…';

/** The target openDatabase takes for a setting's value; problems are appended for loadConfig to report. */
export function databaseTarget(setting: string, raw: string, problems: string[]): string {
  if (POSTGRES_URL.test(raw)) {
    try {
      new URL(raw);
    } catch {
      problems.push(`${setting} is not a valid PostgreSQL URL`);
    }
    return raw;
  }
  if (/^file:/i.test(raw)) {
    try {
      return fileURLToPath(raw);
    } catch {
      problems.push(`${setting} "${raw}" is not a file URL with an absolute path; accepted: ${ACCEPTED_DATABASE_FORMS}`);
      return raw;
    }
  }
  // A scheme (letters then a colon), except a Windows drive letter such as C:\.
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^[a-z]:[\\/]/i.test(raw)) {
    problems.push(
      `${setting} "${raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}" is not a database queuebell can use; accepted: ${ACCEPTED_DATABASE_FORMS}`,
    );
  }
  return raw;
}
