/**
 * How much of this worker each route (a destination, or the SMS or e-mail provider) is using:
 * messages held (claimed, not finished), sends on the wire — at most `maxSending`, the others wait
 * their turn here — and how long its answers take. A route is *crowded* when it holds its share and
 * answers slowly: the dispatcher then leaves it out of claims, so one slow receiver cannot fill
 * every slot while other destinations' messages wait behind its backlog. A fast route is never
 * left out: its messages come back in milliseconds, and skipping over its backlog in the claim
 * query would cost more than sending it.
 */
export interface RouteLimits {
  maxSending: number;
  maxHeld: number;
  slowMs: number;
}

interface Load {
  held: number;
  sending: number;
  waiting: (() => void)[];
  /** Moving average of answer times, in ms. */
  averageMs: number;
}

/** Weight of the newest answer time in the moving average. */
const SMOOTHING = 0.2;

export class RouteLoad {
  private readonly routes = new Map<string, Load>();

  constructor(private readonly limits: RouteLimits) {}

  get totalHeld(): number {
    let total = 0;
    for (const load of this.routes.values()) total += load.held;
    return total;
  }

  hold(route: string): void {
    this.load(route).held += 1;
  }

  /** Resolves when the route has a free send slot, which is then taken. */
  acquire(route: string): Promise<void> {
    const load = this.load(route);
    if (load.sending < this.limits.maxSending) {
      load.sending += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => load.waiting.push(resolve));
  }

  /** A send finished after `durationMs`: its slot passes to the next waiting message. */
  sent(route: string, durationMs: number): void {
    const load = this.load(route);
    load.averageMs = load.averageMs === 0 ? durationMs : load.averageMs * (1 - SMOOTHING) + durationMs * SMOOTHING;
    const next = load.waiting.shift();
    if (next) next();
    else load.sending -= 1;
  }

  /** The message is finished with (sent or not). */
  release(route: string): void {
    const load = this.load(route);
    load.held -= 1;
    if (load.held === 0 && load.sending === 0) this.routes.delete(route);
  }

  crowded(): string[] {
    return [...this.routes]
      .filter(([, load]) => load.held >= this.limits.maxHeld && load.averageMs >= this.limits.slowMs)
      .map(([route]) => route);
  }

  private load(route: string): Load {
    let load = this.routes.get(route);
    if (!load) {
      load = { held: 0, sending: 0, waiting: [], averageMs: 0 };
      this.routes.set(route, load);
    }
    return load;
  }
}
