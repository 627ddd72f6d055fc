/**
 * The whole push server in a worker thread (docs/design.md §Workers, default mode): its API and its
 * push worker, so neither shares the main thread with the queue service's bookings. Started and
 * supervised by startPushServerInThread (main.ts).
 */
import { runInThread, threadData, type ThreadPart } from '../platform/workers/thread-side.js';
import { startPushServer, type PushServerThreadData, type PushServerThreadInfo } from './main.js';

const { config } = threadData<PushServerThreadData>();

async function startPart(): Promise<ThreadPart> {
  // Its push worker on this same thread, as a one-process push server runs it: ingest hands each new
  // push straight over (run-worker.ts) instead of a thread of its own claiming it back from the
  // database. The main thread is the queue service's API either way; measured, one isolate fewer
  // is 50-130 MB less RSS and a little less CPU per booking (docs/design.md §Workers).
  const push = await startPushServer({ config, role: 'all', threads: false });
  return {
    info: { url: push.url, healthUrl: push.healthUrl } satisfies PushServerThreadInfo,
    stop: () => push.close(),
  };
}

await runInThread(startPart, { niceIncrement: config.workerNice });
