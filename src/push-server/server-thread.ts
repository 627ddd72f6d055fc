/**
 * The whole push server in a worker thread (docs/design.md §Workers, default mode): its API, with
 * its push worker in a thread of its own beside it, so ingest never shares the main thread with
 * the queue service's bookings. Started and supervised by startPushServerInThread (main.ts).
 */
import { runInThread, threadData, type ThreadPart } from '../platform/workers/thread-side.js';
import { startPushServer, type PushServerThreadData, type PushServerThreadInfo } from './main.js';

const { config } = threadData<PushServerThreadData>();

async function startPart(): Promise<ThreadPart> {
  const push = await startPushServer({ config, role: 'all', threads: true });
  return {
    info: { url: push.url, healthUrl: push.healthUrl } satisfies PushServerThreadInfo,
    stop: () => push.close(),
  };
}

await runInThread(startPart, { niceIncrement: config.workerNice });
