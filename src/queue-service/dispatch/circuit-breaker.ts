/**
 * One circuit breaker per route (a webhook destination, or the SMS or e-mail provider), in this
 * worker's memory (one dead receiver must not slow the others). Closed, it counts
 * failures in a row; at BREAKER.failuresToOpen it opens: the route gets no sends until the cooldown
 * ends, and its waiting messages are parked in the database until then (every worker skips them).
 * After the cooldown one message goes first as a probe while the others claimed for the route wait
 * for its result: success closes the breaker, failure opens it again for twice as long.
 */
import { elapsedOn, type Clock } from '../../platform/clock.js';
import { BREAKER } from './policy.js';

interface RouteState {
  failures: number;
  /** When the cooldown ends, on the clock's monotonic reading (a wall-clock jump neither shortens nor stretches it). */
  openUntil: number | null;
  cooldownMs: number;
  probe: { settle(healthy: boolean): void; result: Promise<boolean> } | null;
}

export interface BreakerPolicy {
  failuresToOpen: number;
  firstCooldownMs: number;
  maxCooldownMs: number;
}

export type Admission = { admitted: true } | { admitted: false; until: number };

export class CircuitBreakers {
  private readonly routes = new Map<string, RouteState>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: BreakerPolicy = BREAKER,
  ) {}

  /** Whether a message for `route` may be sent now; during a probe the answer waits for the probe's result. */
  async admit(route: string): Promise<Admission> {
    const state = this.routes.get(route);
    if (!state || state.openUntil === null) return { admitted: true };
    if (elapsedOn(this.clock) < state.openUntil) return { admitted: false, until: this.wallTime(state.openUntil) };
    if (!state.probe) {
      let settle!: (healthy: boolean) => void;
      const result = new Promise<boolean>((resolve) => (settle = resolve));
      state.probe = { settle, result };
      return { admitted: true };
    }
    return (await state.probe.result)
      ? { admitted: true }
      : { admitted: false, until: this.wallTime(state.openUntil ?? elapsedOn(this.clock)) };
  }

  succeeded(route: string): void {
    const state = this.routes.get(route);
    if (!state) return;
    this.routes.delete(route);
    state.probe?.settle(true);
  }

  /** Returns the moment (wall time) the breaker opened until, when this failure opened (or re-opened) it. */
  failed(route: string): number | null {
    const state = this.routes.get(route) ?? { failures: 0, openUntil: null, cooldownMs: this.policy.firstCooldownMs, probe: null };
    this.routes.set(route, state);
    if (state.probe) {
      state.cooldownMs = Math.min(state.cooldownMs * 2, this.policy.maxCooldownMs);
      return this.open(state);
    }
    if (state.openUntil !== null) return null; // a send from before the breaker opened; it already counts
    state.failures += 1;
    return state.failures >= this.policy.failuresToOpen ? this.open(state) : null;
  }

  /** Routes that must not be claimed now: open, or probing. */
  closedRoutes(): string[] {
    const now = elapsedOn(this.clock);
    const routes: string[] = [];
    for (const [route, state] of this.routes) {
      if (state.openUntil !== null && (now < state.openUntil || state.probe)) routes.push(route);
    }
    return routes;
  }

  private open(state: RouteState): number {
    const probe = state.probe;
    state.openUntil = elapsedOn(this.clock) + state.cooldownMs;
    state.probe = null;
    probe?.settle(false);
    return this.clock.now() + state.cooldownMs;
  }

  /** A monotonic reading as wall time, for what is stored (parked messages) or compared with stored times. */
  private wallTime(monotonic: number): number {
    return this.clock.now() + (monotonic - elapsedOn(this.clock));
  }
}
