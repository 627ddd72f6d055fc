/**
 * The last resort for outcomes (docs/design.md §Faults): when the database stays away longer than a
 * lease, a worker appends the outcomes it could not record to a small file in the data directory,
 * one JSON line each, fsync'd before it goes on, and keeps trying the database. Should the process
 * die before the database answers, the next worker to start on that data directory replays the file
 * before its first claim, so a push or webhook already accepted is recorded, not sent again.
 *
 * One file per worker (`<name>.<pid>.<tag>.journal`): a file is replayed only when no live process
 * writes it — its pid is gone, or it is this process's and closed. Replaying is idempotent, so a
 * file replayed twice (a crash during replay) does no harm; a torn last line is skipped.
 */
import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { newId } from '../ids.js';

const SUFFIX = '.journal';
/** Journal files this process has open: never replayed under the feet of their writer. */
const openHere = new Set<string>();

export interface JournalOptions {
  /** The data directory; the journal lives in its `journal/` folder. */
  dir: string;
  /** Which worker kind writes it ("dispatcher", "push-worker"): each replays only its own kind. */
  name: string;
  logger: Logger;
}

export class OutcomeJournal<T> {
  private readonly folder: string;
  private readonly path: string;
  private handle: FileHandle | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Entries appended and not yet known to be in the database. */
  private outstanding = 0;

  constructor(private readonly options: JournalOptions) {
    this.folder = join(options.dir, 'journal');
    this.path = join(this.folder, `${options.name}.${process.pid}.${newId('', 6).slice(1)}${SUFFIX}`);
  }

  /** Appends `entries` and makes them durable before resolving. */
  append(entries: readonly T[]): Promise<void> {
    const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    this.outstanding += entries.length;
    this.writing = this.writing.then(async () => {
      if (!this.handle) {
        await mkdir(this.folder, { recursive: true, mode: 0o700 });
        openHere.add(this.path);
        this.handle = await open(this.path, 'a', 0o600);
      }
      await this.handle.appendFile(text);
      await this.handle.sync();
    });
    return this.writing;
  }

  /** `count` journaled entries reached the database after all; once none is left, the file goes. */
  async recorded(count: number): Promise<void> {
    this.outstanding = Math.max(0, this.outstanding - count);
    if (this.outstanding > 0 || !this.handle) return;
    await this.close();
    await unlink(this.path).catch(() => {});
  }

  /** Closes the file and leaves it for the next start to replay. */
  async close(): Promise<void> {
    await this.writing.catch(() => {});
    const handle = this.handle;
    this.handle = null;
    openHere.delete(this.path);
    await handle?.close();
  }

  /**
   * Replays the journals no live process writes: `apply` records their entries (it throws while the
   * database is away, and the file stays for the next try); each file goes once applied.
   */
  async replay(apply: (entries: T[]) => Promise<void>): Promise<number> {
    let replayed = 0;
    for (const file of await this.orphans()) {
      const entries = parseLines<T>(await readFile(file, 'utf8'));
      if (entries.length > 0) await apply(entries);
      await unlink(file).catch(() => {});
      replayed += entries.length;
      this.options.logger.warn(
        { file, outcomes: entries.length },
        'outcomes a stopped worker could not record were replayed from its journal',
      );
    }
    return replayed;
  }

  private async orphans(): Promise<string[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    return names
      .filter((name) => name.startsWith(`${this.options.name}.`) && name.endsWith(SUFFIX))
      .map((name) => ({ path: join(this.folder, name), pid: Number(name.split('.')[1]) }))
      .filter(({ path, pid }) => !openHere.has(path) && (pid === process.pid || !isAlive(pid)))
      .map(({ path }) => path);
  }
}

function parseLines<T>(text: string): T[] {
  const entries: T[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as T);
    } catch {
      // A line torn by a crash in the middle of its append: its outcome was never promised.
    }
  }
  return entries;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
