/**
 * A background part for the supervisor's tests: it appends what happens to it to a journal file
 * (the only memory that survives its thread), echoes each wake-up back to the parent, and in its
 * first life crashes or never gets ready when the test asks for it.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { Signal } from '../../../../src/platform/signal.js';
import { runInThread, threadData } from '../../../../src/platform/workers/thread-side.js';

export interface JournalPartData {
  journal: string;
  /** First life: 'crash' throws after getting ready; 'fail' throws before. */
  firstLife: 'run' | 'crash' | 'fail';
}

const { journal, firstLife } = threadData<JournalPartData>();
const lives = existsSync(journal)
  ? readFileSync(journal, 'utf8')
      .split('\n')
      .filter((line) => line === 'started').length
  : 0;
const note = (line: string) => appendFileSync(journal, `${line}\n`);

await runInThread(async () => {
  note('started');
  if (lives === 0 && firstLife === 'fail') throw new Error('cannot open the database');
  if (lives === 0 && firstLife === 'crash')
    setTimeout(() => {
      throw new Error('a bug in the part');
    }, 50);
  const inbound = new Signal();
  const outbound = new Signal();
  inbound.subscribe(() => {
    note('woken');
    outbound.notify();
  });
  // A part's loop keeps its thread alive until stop.
  const loop = setInterval(() => {}, 1_000);
  return {
    inbound,
    outbound,
    stop: async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      clearInterval(loop);
      note('stopped');
    },
  };
});
