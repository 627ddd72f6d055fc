/**
 * The supervisor of background threads: a part runs in a real worker thread (support/journal-part.ts),
 * wake-ups cross both ways, a crash is logged and the thread comes back, stop waits for the part.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { superviseThread, type SupervisedThread } from '../../../src/platform/workers/thread-supervisor.js';
import type { JournalPartData } from './support/journal-part.js';

const entry = new URL('./support/journal-part.ts', import.meta.url);
const quickBackoff = { firstMs: 10, longestMs: 40, stableMs: 60_000 };

let dir: string;
let thread: SupervisedThread | null = null;

function setup(firstLife: JournalPartData['firstLife']) {
  dir = mkdtempSync(join(tmpdir(), 'queuebell-thread-'));
  const journal = join(dir, 'journal');
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const lines = () => {
    try {
      return readFileSync(journal, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { data: { journal, firstLife } satisfies JournalPartData, logger, logLines, lines };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

afterEach(async () => {
  await thread?.stop();
  thread = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('superviseThread', () => {
  it('relays a wake-up to the part and the part’s own wake-up back to the parent', async () => {
    const { data, logger, lines } = setup('run');
    let heard = 0;
    thread = await superviseThread({ name: 'journal', entry, data, logger, onWake: () => heard++ });
    thread.wake();
    await until(() => heard > 0);
    expect(lines()).toEqual(['started', 'woken']);
  });

  it('logs a crash and starts the thread again after a pause', async () => {
    const { data, logger, logLines, lines } = setup('crash');
    thread = await superviseThread({ name: 'journal', entry, data, logger, backoff: quickBackoff });
    await until(() => thread!.restarts === 1 && lines().filter((line) => line === 'started').length === 2);
    const crash = logLines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'journal thread crashed');
    expect(crash.err.message).toBe('a bug in the part');
    expect(logLines.some((line) => JSON.parse(line).msg === 'journal thread stopped unexpectedly; restarting it')).toBe(true);
    // The thread that came back is woken at once (work committed meanwhile rang nobody) and runs normally.
    await until(() => lines().includes('woken'));
  });

  it('waits for the part to stop before the thread is gone', async () => {
    const { data, logger, lines } = setup('run');
    thread = await superviseThread({ name: 'journal', entry, data, logger });
    await thread.stop();
    thread = null;
    expect(lines()).toEqual(['started', 'stopped']);
  });

  it('rejects the start when the part fails before it is ready, and does not retry', async () => {
    const { data, logger, lines } = setup('fail');
    await expect(superviseThread({ name: 'journal', entry, data, logger, backoff: quickBackoff })).rejects.toThrow(
      'cannot open the database',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines()).toEqual(['started']);
  });
});
