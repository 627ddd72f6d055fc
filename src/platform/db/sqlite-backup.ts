/**
 * A consistent copy of a live SQLite database through SQLite's online backup API: the service keeps
 * reading and writing while it runs, and the copy includes what the WAL holds. No lock is held for
 * long: the copy proceeds in steps and restarts by itself if a writer changes pages it already took.
 */
import SqliteDatabase from 'better-sqlite3';

export async function backupSqlite(source: string, destination: string): Promise<{ pages: number }> {
  const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(destination);
    return { pages: totalPages };
  } finally {
    db.close();
  }
}
