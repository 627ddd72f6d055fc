/**
 * A stream of ticket changes through the real API, as counters would make them: each ticket is
 * booked with a pushId, then called, put on hold, recalled, served and closed — six messages per
 * ticket — with a few requests in flight at once. It survives the API going away (a killed
 * service): a request that got no answer may or may not have committed, so the ticket is read
 * back before the step is tried again.
 */
import type { ApiClient } from '../../support/api-client.js';
import type { TestCompany } from '../../support/company.js';

const PATH = [200, 300, 200, 500, 700];

export interface StreamOptions {
  tickets: number;
  concurrency: number;
  /** Pause between two steps of one worker of the stream, in ms (spreads the changes over time). */
  pauseMs: number;
}

export async function streamTicketChanges(api: ApiClient, company: TestCompany, options: StreamOptions): Promise<string[]> {
  const ticketIds: string[] = [];
  let next = 0;
  const run = async () => {
    while (next < options.tickets) {
      next += 1;
      const ticketId = await persist(() => book(api, company));
      ticketIds.push(ticketId);
      for (const state of PATH) {
        await sleep(options.pauseMs * Math.random() * 2);
        await persist((attempt) => move(api, company, ticketId, state, attempt > 0));
      }
    }
  };
  await openCounter(api, company);
  await Promise.all(Array.from({ length: options.concurrency }, run));
  return ticketIds;
}

async function book(api: ApiClient, company: TestCompany): Promise<string> {
  const user = await api.call('POST', '/v2/users', { key: company.bookingKey });
  if (user.status !== 201) throw new Error(`user: ${user.status}`);
  const ticket = await api.call('POST', `/v2/queues/${company.queueId}/ticket`, {
    key: company.bookingKey,
    token: user.body.jwtToken,
    body: { pushId: `push-${Math.random().toString(36).slice(2)}`, sendClientPush: true },
  });
  if (ticket.status !== 201) throw new Error(`book: ${ticket.status} ${ticket.text}`);
  return ticket.body.ticketId;
}

/** Moves a ticket to `state`; if an earlier try may have done it already, reads it back first. */
async function move(api: ApiClient, company: TestCompany, ticketId: string, state: number, retried = false): Promise<string> {
  if (retried) {
    const current = await api.call('GET', `/v2/endpoints/${company.endpointId}/tickets/${ticketId}`, { key: company.operatorKey });
    if (current.status === 200 && current.body.state === state) return ticketId;
  }
  const moved = await api.call('PUT', `/v2/endpoints/${company.endpointId}/tickets/${ticketId}/state`, {
    key: company.operatorKey,
    body: { state },
  });
  if (moved.status !== 200) throw Object.assign(new Error(`move to ${state}: ${moved.status} ${moved.text}`), { answered: true });
  return ticketId;
}

async function openCounter(api: ApiClient, company: TestCompany): Promise<void> {
  await persist(async () => {
    const opened = await api.call('PUT', `/v2/endpoints/${company.endpointId}`, { key: company.operatorKey, body: { isOpen: true } });
    if (opened.status !== 200) throw new Error(`open counter: ${opened.status}`);
    return '';
  });
}

/**
 * Retries while the service is unreachable. A booking whose answer was lost may have happened;
 * that only adds a ticket the checks see in the database like any other.
 */
async function persist(step: (attempt: number) => Promise<string>): Promise<string> {
  // A restart of the service can take seconds on a busy machine; a minute without it is a failure.
  const giveUpAt = Date.now() + 60_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if ((error as { answered?: boolean }).answered || Date.now() > giveUpAt) throw error;
      await sleep(50);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
