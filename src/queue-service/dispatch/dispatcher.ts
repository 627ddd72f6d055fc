/**
 * Step ③ (docs/design.md §Delivery): the dispatcher delivers outbox messages in four stages —
 * claim (db/queries/message-claims.ts, lanes.ts) → prepare (channels/*) → send (channels/*) →
 * record (recorder.ts) — and switches only on the typed outcome between the last two. The loop, its
 * wake-ups and the stop are the worker engine's (platform/workers/engine.ts); what is here is the
 * dispatcher's policy: routes, breakers, per-route load, deadlines, the in-process hand-back.
 * Any number of dispatchers share one PostgreSQL database; on SQLite there is one, in the process
 * that owns the file.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { SafeHttpClient } from '../../platform/net/safe-http.js';
import type { QueueServiceDeps } from '../deps.js';
import { queueMetricsOf } from '../metrics.js';
import type { Message, MessageChannel } from '../db/schema.js';
import {
  claimDueMessages,
  parkRoute,
  releaseClaims,
  renewLeases,
  replaySettlements,
  takeOverLeasesOfStoppedWorkers,
  type Settlement,
} from '../db/queries/message-claims.js';
import { insertAttempts } from '../db/queries/message-attempts.js';
import { OutcomeJournal } from '../../platform/workers/outcome-journal.js';
import { OUTBOX_CHANNEL } from '../notifications/outbox.js';
import { isNotSent, notSent, type Channel } from './channels/channel.js';
import { EmailChannel } from './channels/email.js';
import { SmsChannel } from './channels/sms/index.js';
import { WebhookChannel } from './channels/webhook.js';
import { CircuitBreakers, type BreakerPolicy } from './circuit-breaker.js';
import { DestinationBook, type Destination } from './destinations.js';
import { DestinationHealth } from './destination-health.js';
import type { DeliveryOutcome } from './outcome.js';
import { ATTEMPT_LOG, BREAKER, CLAIM, LEASE, SHUTDOWN, SLOW_ROUTE, TIMEOUTS } from './policy.js';
import { RouteLoad } from './route-load.js';
import { Recorder, type JournaledOutcome } from './recorder.js';
import { webhookSecretBox } from './signing-secrets.js';
import { planLanes } from './lanes.js';
import { WorkerEngine, type ClaimRound } from '../../platform/workers/engine.js';
import { newWorkerId } from '../../platform/workers/worker-id.js';
import { HeldLeases } from '../../platform/workers/held-leases.js';
import { leaseClockFor, leaseTimeOf, type LeaseTime } from '../../platform/db/lease-time.js';

/** The policy values a deployment (or a test) may tune; the defaults are policy.ts's. */
export interface DispatcherOptions {
  workerId: string;
  batchSize: number;
  maxInFlight: number;
  maxInFlightPerRoute: number;
  maxHeldPerRoute: number;
  slowRouteMs: number;
  leaseMs: number;
  /** How often the leases of messages in flight are renewed. */
  renewEveryMs: number;
  /**
   * Which clock stamps and judges leases: 'database' (PostgreSQL's; SQLite's one process) or 'own'
   * (this dispatcher's Clock — tests that move a manual clock move the leases with it).
   */
  leaseClock: 'database' | 'own';
  pollIntervalMs: number;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  graceMs: number;
  /** The data directory for the outcome journal (docs/design.md §Faults); null: none. */
  journalDir: string | null;
  /**
   * PostgreSQL: hold the liveness lock and take over the leases of workers whose lock is free
   * (docs/design.md §Workers). Off only to measure what it buys, and then off for every worker of
   * the database: one with it on would take over from one without.
   */
  liveness: boolean;
  breaker: BreakerPolicy;
  random?: () => number;
}

function defaultDispatcherOptions(clock: Clock): DispatcherOptions {
  return {
    workerId: newWorkerId('wkr'),
    batchSize: CLAIM.batchSize,
    maxInFlight: CLAIM.maxInFlight,
    maxInFlightPerRoute: CLAIM.maxInFlightPerRoute,
    maxHeldPerRoute: CLAIM.maxHeldPerRoute,
    slowRouteMs: SLOW_ROUTE.thresholdMs,
    leaseMs: LEASE.ms,
    renewEveryMs: LEASE.renewEveryMs,
    leaseClock: leaseClockFor(clock),
    pollIntervalMs: CLAIM.pollIntervalMs,
    connectTimeoutMs: TIMEOUTS.connectMs,
    responseTimeoutMs: TIMEOUTS.responseMs,
    graceMs: SHUTDOWN.graceMs,
    journalDir: null,
    liveness: true,
    breaker: BREAKER,
  };
}

/** A webhook's route is its destination; SMS and e-mail each have one route, their provider. */
function routeOf(message: Pick<Message, 'channel' | 'destination_id'>): string {
  return message.channel === 'webhook' ? (message.destination_id ?? 'webhook') : `channel:${message.channel}`;
}

export interface DispatcherStats {
  claimed: number;
  delivered: number;
  /** Outcomes other than delivered (retries, rejections, messages not sent). */
  notDelivered: number;
}

function groupByWorker(entries: JournaledOutcome[]): Map<string, Settlement[]> {
  const groups = new Map<string, Settlement[]>();
  for (const { workerId, settlement } of entries) {
    const group = groups.get(workerId) ?? [];
    group.push(settlement);
    groups.set(workerId, group);
  }
  return groups;
}

function routeTarget(route: string): { channel: MessageChannel } | { destinationId: string } {
  return route.startsWith('channel:') ? { channel: route.slice('channel:'.length) as MessageChannel } : { destinationId: route };
}

export class Dispatcher {
  readonly options: DispatcherOptions;
  /** Counts since start, for the bench and tests that run several workers. */
  readonly stats: DispatcherStats = { claimed: 0, delivered: 0, notDelivered: 0 };
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly engine: WorkerEngine;
  private readonly breakers: CircuitBreakers;
  private readonly unwatchBreakers: () => void;
  private readonly destinations: DestinationBook;
  private readonly recorder: Recorder;
  private readonly channels: Record<MessageChannel, Channel>;
  private readonly webhookHttp: SafeHttpClient;
  private readonly providerHttp: SafeHttpClient;
  private readonly load: RouteLoad;
  /** When each crowded route's backlog was last parked. */
  private readonly parkedAt = new Map<string, number>();
  /** Whether a recorded outcome may let the next claim find something: a lane's next message waits for it. */
  private wakeOnRecord = false;
  private stopping = false;
  /** Claims given back unsent during shutdown. */
  private readonly released: string[] = [];
  /** Messages whose lease this dispatcher holds: claimed, not yet recorded or released. */
  private readonly leases: HeldLeases;
  private readonly journal: OutcomeJournal<JournaledOutcome> | null;

  constructor(
    private readonly deps: QueueServiceDeps,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...defaultDispatcherOptions(deps.clock), ...options };
    // A lease shorter than the default is still renewed several times before it runs out.
    this.options.renewEveryMs = options.renewEveryMs ?? Math.min(LEASE.renewEveryMs, this.options.leaseMs / 4);
    this.clock = deps.clock;
    this.leases = new HeldLeases(this.options.leaseMs);
    this.logger = deps.logger.child({ component: 'dispatcher', workerId: this.options.workerId });
    const { journalDir } = this.options;
    this.journal = journalDir ? new OutcomeJournal({ dir: journalDir, name: 'dispatcher', logger: this.logger }) : null;
    // Sockets per origin are not the per-destination limit (RouteLoad is): two destinations may share a host.
    const http = {
      connectTimeoutMs: this.options.connectTimeoutMs,
      responseTimeoutMs: this.options.responseTimeoutMs,
      excerptBytes: ATTEMPT_LOG.excerptBytes,
      maxSocketsPerOrigin: this.options.maxInFlight,
      userAgent: 'queuebell-webhooks/1',
    };
    this.webhookHttp = new SafeHttpClient({ ...http, allowPrivate: deps.config.allowPrivateWebhooks });
    this.providerHttp = new SafeHttpClient({ ...http, allowPrivate: true, userAgent: 'queuebell' });
    this.channels = {
      webhook: new WebhookChannel(this.webhookHttp, this.clock),
      sms: new SmsChannel(deps.config.sms, this.providerHttp, this.clock),
      email: new EmailChannel(deps.config.smtpUrl, deps.config.mailFrom),
    };
    this.breakers = new CircuitBreakers(this.clock, this.options.breaker);
    this.unwatchBreakers = queueMetricsOf(deps).watchBreakers(() => this.breakers.closedRoutes());
    this.load = new RouteLoad({
      maxSending: this.options.maxInFlightPerRoute,
      maxHeld: this.options.maxHeldPerRoute,
      slowMs: this.options.slowRouteMs,
    });
    this.destinations = new DestinationBook(webhookSecretBox(deps.config.masterKey));
    const health = new DestinationHealth(deps.database.db, this.logger);
    this.recorder = new Recorder(
      deps.database,
      this.options.workerId,
      this.clock,
      health,
      this.logger,
      (ids) => {
        for (const id of ids) this.leases.forget(id);
        if (this.wakeOnRecord) this.engine.wake();
      },
      { leaseTime: () => this.leaseTime(), leaseMs: this.options.leaseMs, journal: this.journal },
      this.options.random,
      queueMetricsOf(deps),
    );
    const { batchSize, maxInFlight, pollIntervalMs, graceMs } = this.options;
    const pool = deps.database.pgPool;
    this.engine = new WorkerEngine(
      {
        name: 'dispatcher',
        logger: this.logger,
        batchSize,
        capacity: maxInFlight,
        pollIntervalMs,
        graceMs,
        // A handful of free slots is not worth a claim's round trips while sends are still coming back.
        minClaim: Math.min(batchSize, maxInFlight) / 4,
        // Sends cut short are retried soon by whoever claims them; their outcomes are recorded now.
        afterGrace: 'abort',
        signals: [deps.outboxSignal],
        listen: pool ? { pool, channel: OUTBOX_CHANNEL, purpose: 'outbox messages' } : null,
        renewEveryMs: this.options.renewEveryMs,
        liveness: pool && this.options.liveness ? { pool, workerId: this.options.workerId } : null,
      },
      {
        prepare: () => this.replayJournal(),
        claim: (limit) => this.claim(limit),
        flush: () => this.recorder.drain(),
        abort: () => {
          for (const channel of Object.values(this.channels)) channel.abortAll();
        },
        renew: () => this.renew(),
      },
    );
  }

  /** Runs until `stop`: wakes on the in-process signal, on NOTIFY (PostgreSQL) and by polling. */
  async start(): Promise<void> {
    await this.engine.start();
    this.logger.info({ engine: this.deps.database.engine }, 'dispatcher started');
  }

  /**
   * Graceful shutdown: no new claims; sends on the wire may finish within `graceMs`, then are
   * aborted (and retried soon by whoever claims them); claimed messages not yet on the wire go back
   * to the pool at once; every outcome is recorded before returning.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    // Outcomes still unrecorded after the grace period stay with their lease (sent again later).
    this.recorder.giveUpAfter(this.options.graceMs);
    await this.engine.stop();
    await releaseClaims(this.deps.database.db, this.options.workerId, this.released, this.clock.now()).catch((error) =>
      this.logger.warn({ err: error }, 'could not release unsent claims; they return after their lease'),
    );
    await this.journal?.close();
    await Promise.all(Object.values(this.channels).map((channel) => channel.close()));
    this.webhookHttp.close();
    this.providerHttp.close();
    this.unwatchBreakers();
  }

  /** Outcomes a stopped dispatcher journaled are recorded before any claim could send their messages again. */
  private async replayJournal(): Promise<void> {
    await this.journal?.replay((entries) =>
      this.deps.database.transaction(async (trx) => {
        await insertAttempts(
          trx,
          entries.flatMap((e) => e.attempt ?? []),
          true,
        );
        for (const [workerId, settlements] of groupByWorker(entries)) await replaySettlements(trx, workerId, settlements);
      }),
    );
  }

  /** Tests with a manual clock: claims, sends and records until nothing due is left. */
  async drain(): Promise<void> {
    for (;;) {
      const { progressed } = await this.engine.claimOnce();
      await this.engine.idle();
      await this.recorder.drain();
      if (!progressed) return;
    }
  }

  /**
   * One claim and the start of its deliveries. It also decides whether a recorded outcome is worth
   * a claim: only when a lane's next message was waiting for it — any other claim would find nothing.
   */
  private async claim(limit: number): Promise<ClaimRound> {
    const excluded = this.excludedRoutes();
    // Read before the claim: the lease's end is judged no later than the database stamped it.
    const stampedAt = performance.now();
    const result = await claimDueMessages(this.deps.database, {
      workerId: this.options.workerId,
      now: this.leaseTime(),
      limit,
      leaseMs: this.options.leaseMs,
      plan: planLanes,
      excludeDestinations: excluded.filter((r) => !r.startsWith('channel:')),
      excludeChannels: excluded.filter((r) => r.startsWith('channel:')).map((r) => r.slice('channel:'.length)),
    });
    this.stats.claimed += result.claimed.length;
    queueMetricsOf(this.deps).recordClosedUnsent(result);
    this.wakeOnRecord = result.held > 0;
    if (result.claimed.length > 0) {
      const ids = [...new Set(result.claimed.flatMap((m) => (m.destination_id ? [m.destination_id] : [])))];
      const destinations = await this.destinations.load(this.deps.database.db, ids);
      // Held (and renewed) only once on its way: a claim whose destinations could not be read runs out and returns.
      for (const message of result.claimed) {
        this.leases.hold(message.id, stampedAt);
        this.track(message, destinations.get(message.destination_id ?? ''));
      }
    }
    // The claim was cut short by its limit: more is due.
    return { progressed: result.claimed.length + result.superseded + result.expired > 0, more: result.candidates >= limit };
  }

  private leaseTime(): LeaseTime {
    return leaseTimeOf(this.options.leaseClock, this.clock);
  }

  /** Renews what is in flight or waits to be recorded; then takes over the leases of workers that died. */
  private async renew(): Promise<void> {
    // A lease settled meanwhile, or taken over, is forgotten: a send not yet started is skipped.
    await this.leases.renew((ids) =>
      renewLeases(this.deps.database.db, this.options.workerId, ids, this.options.leaseMs, this.leaseTime()),
    );
    if (this.options.liveness && (await takeOverLeasesOfStoppedWorkers(this.deps.database.db, this.options.workerId))) this.engine.wake();
  }

  /** Whether this dispatcher may still act on its claim of `message`. */
  private holdsLease(message: Message, now: number): boolean {
    if (this.options.leaseClock === 'own') return this.leases.has(message.id) && now < (message.lease_expires_at ?? 0);
    return this.leases.holds(message.id);
  }

  private excludedRoutes(): string[] {
    const crowded = this.load.crowded();
    for (const route of crowded) this.parkCrowded(route);
    return [...new Set([...this.breakers.closedRoutes(), ...crowded])];
  }

  /** A crowded route's due messages wait a moment in the database, so claims do not wade through them meanwhile. */
  private parkCrowded(route: string): void {
    const now = this.clock.now();
    if ((this.parkedAt.get(route) ?? -Infinity) > now - SLOW_ROUTE.parkMs) return;
    this.parkedAt.set(route, now);
    if (this.parkedAt.size > 10_000) this.parkedAt.clear();
    parkRoute(this.deps.database.db, routeTarget(route), now + SLOW_ROUTE.parkMs).catch((error) =>
      this.logger.warn({ err: error, route }, 'could not park the messages of a slow destination'),
    );
  }

  private track(message: Message, destination: Destination | undefined): void {
    const route = routeOf(message);
    this.load.hold(route);
    this.engine.take(1);
    this.engine.track(
      this.deliver(message, destination, route)
        .catch((error) => {
          this.leases.forget(message.id);
          this.logger.error({ err: error, messageId: message.id }, 'delivery crashed; the message returns after its lease');
        })
        .finally(() => {
          this.load.release(route);
          this.engine.give(1);
        }),
    );
  }

  /** prepare → send for one message, then hands the outcome to the record stage. */
  private async deliver(message: Message, destination: Destination | undefined, route: string): Promise<void> {
    const admission = await this.breakers.admit(route);
    if (admission.admitted) await this.load.acquire(route);
    const startedAt = this.clock.now();
    // Shutting down: what has not started goes back to the pool now rather than after its lease.
    // A lease that ran out (a long wait for a probe or a slot, a stalled process) belongs to someone else already.
    if (this.stopping || !this.holdsLease(message, startedAt)) {
      if (admission.admitted) this.load.sent(route, 0);
      if (this.stopping) this.released.push(message.id);
      this.leases.forget(message.id);
      return;
    }
    let outcome: DeliveryOutcome;
    if (!admission.admitted) {
      outcome = {
        kind: 'retry_later',
        cause: 'circuit_open',
        statusCode: null,
        excerpt: null,
        error: 'circuit open: the destination failed repeatedly',
        durationMs: 0,
        retryAfterMs: admission.until - startedAt,
      };
    } else if (startedAt >= message.deliver_by) {
      outcome = notSent('expired', 'deadline passed before delivery');
    } else {
      const channel = this.channels[message.channel];
      const prepared = channel.prepare(message, { now: startedAt, destination });
      outcome = isNotSent(prepared) ? prepared : await channel.send(prepared);
    }
    if (admission.admitted) this.load.sent(route, 'durationMs' in outcome ? outcome.durationMs : 0);
    this.updateBreaker(route, outcome);
    if (outcome.kind === 'delivered') this.stats.delivered += 1;
    else this.stats.notDelivered += 1;
    this.recorder.add({ message, outcome, startedAt });
  }

  private updateBreaker(route: string, outcome: DeliveryOutcome): void {
    if (outcome.kind === 'delivered' || outcome.kind === 'rejected') return this.breakers.succeeded(route);
    if (outcome.kind !== 'retry_later' || outcome.cause === 'circuit_open' || outcome.cause === 'throttled') return;
    const openUntil = this.breakers.failed(route);
    if (openUntil === null) return;
    this.logger.warn({ route, until: new Date(openUntil).toISOString() }, 'circuit opened: deliveries to this route pause');
    parkRoute(this.deps.database.db, routeTarget(route), openUntil).catch((error) =>
      this.logger.warn({ err: error, route }, 'could not park messages of an open circuit'),
    );
  }
}
