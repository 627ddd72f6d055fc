/**
 * The ceiling most scenarios report against: the bare Fastify route (bench/servers/bare-route.ts)
 * in its own process, under the same load as the system under test, in the same run.
 */
import { startChild } from './child.js';
import { type LoadResult, runLoadOn } from './load.js';
import type { BenchContext } from './types.js';

/** One load on the bare route: GET /hello, or POST /echo with a body the size of the real request's. */
export type BareRouteLoad = { method: 'GET' } | { method: 'POST'; body: string };

export interface BareRouteCeiling extends LoadResult {
  /** CPU the bare-route process used per request of this load (µs). */
  cpuPerRequest: number;
}

/**
 * Starts the bare route, runs each load against it for `seconds` at `connections`, one after the
 * other in the same process, and stops it: a ceiling (req/s, CPU µs per request) for each load.
 */
export async function measureBareRoute<const Loads extends readonly BareRouteLoad[]>(
  ctx: BenchContext,
  seconds: number,
  options: { progress: string; connections: number; loads: Loads },
): Promise<{ [I in keyof Loads]: BareRouteCeiling }> {
  ctx.progress(options.progress);
  const bare = await startChild<{ url: string }>(new URL('../servers/bare-route.ts', import.meta.url));
  try {
    const ceilings: BareRouteCeiling[] = [];
    for (const load of options.loads) {
      const ceiling = await runLoadOn(
        bare.process.pid!,
        load.method === 'GET'
          ? { url: `${bare.info.url}/hello`, connections: options.connections, durationSeconds: seconds }
          : {
              url: `${bare.info.url}/echo`,
              method: 'POST',
              body: load.body,
              connections: options.connections,
              durationSeconds: seconds,
            },
      );
      ceilings.push(ceiling);
    }
    return ceilings as { [I in keyof Loads]: BareRouteCeiling };
  } finally {
    await bare.stop();
  }
}
