/** Admin routes of the message log: list, inspect with attempts, replay one or a time range. */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { Id, Query, Security, errors } from '../http/schemas.js';
import { inspectMessage, listMessagesFor, replayMessage, replayRange } from './messages.js';
import { ticketTimeline } from './timeline.js';

const STATUSES = ['pending', 'delivering', 'delivered', 'failed', 'expired', 'superseded'] as const;
const Status = Type.Enum(STATUSES);
const EndedStatus = Type.Enum(['delivered', 'failed', 'expired', 'superseded']);
const Channel = Type.Union([Type.Literal('webhook'), Type.Literal('sms'), Type.Literal('email')]);
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

const MessageFields = {
  id: Id,
  companyId: Id,
  ticketId: Id,
  queueId: Id,
  channel: Type.String(),
  destinationId: Type.Union([Id, Type.Null()]),
  recipient: Type.String(),
  action: Type.String(),
  ticketVersion: Type.Integer(),
  status: Type.String(),
  body: Type.Unknown(),
  createdAt: Time,
  deliverBy: Time,
  nextAttemptAt: Time,
  attemptCount: Type.Integer({ description: 'Attempts since the message was queued or last replayed.' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: NullableTime,
  replayCount: Type.Integer(),
  replayedAt: NullableTime,
};
const MessageView = Type.Object(MessageFields);
const AttemptView = Type.Object({
  id: Id,
  startedAt: Time,
  durationMs: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.String({ description: 'delivered, retry_later:<cause>, rejected or gone.' }),
  responseExcerpt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});

const NullableText = Type.Union([Type.String(), Type.Null()]);
const ReceiptView = Type.Object({
  id: Type.String({ description: "The receipt's own webhook-id." }),
  type: Type.String({ description: 'push.receipt or device.invalidated' }),
  outcome: Type.String({ description: 'pushed, failed, token_invalid, no_devices, unknown_push_id or expired' }),
  deviceId: NullableText,
  provider: NullableText,
  providerMessageId: NullableText,
  reason: NullableText,
  at: Time,
  receivedAt: Time,
});
const FallbackView = Type.Union([
  Type.Object({
    decision: Type.String({ description: 'sent or skipped' }),
    reason: Type.String(),
    channel: Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Null()], {
      description: 'The channel it went by; null when skipped.',
    }),
    decidedAt: Time,
    fallbackMessageId: NullableText,
    smsMessageId: Type.Union([Type.String(), Type.Null()], { description: 'The same as fallbackMessageId (the former name).' }),
    skipped: Type.Array(Type.Object({ channel: Type.String(), reason: Type.String() }), {
      description: "The queue's channels passed over before the one used (or all of them), with why.",
    }),
  }),
  Type.Null(),
]);
const ReachView = Type.Object({
  reached: Type.Union([Type.Boolean(), Type.Null()], { description: 'null while still on its way' }),
  channel: NullableText,
  at: NullableTime,
  changeToReachedMs: Type.Union([Type.Integer(), Type.Null()], {
    description: 'From the change to the provider accepting the push (or the SMS or e-mail delivered).',
  }),
});
const ActorView = Type.Object({
  kind: Type.String({ description: 'operator, user, scheduler, key or server' }),
  id: NullableText,
  name: NullableText,
});
const CounterView = Type.Union([Type.Object({ id: Type.String(), name: NullableText }), Type.Null()]);
const ChangeView = Type.Object({
  version: Type.Integer(),
  at: Time,
  action: NullableText,
  toState: Type.Integer(),
  by: ActorView,
  counter: CounterView,
});
const TimelineAttempt = Type.Object({
  startedAt: Time,
  durationMs: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.String(),
  error: NullableText,
});
const TimelineMessage = Type.Object({
  id: Id,
  channel: Type.String(),
  destinationId: Type.Union([Id, Type.Null()]),
  recipient: Type.String(),
  action: Type.String(),
  status: Type.String(),
  committedAt: Time,
  deliverBy: Time,
  deliveredAt: NullableTime,
  lastError: NullableText,
  attempts: Type.Array(TimelineAttempt),
  receipts: Type.Array(ReceiptView),
  fallback: FallbackView,
});
const TicketTimeline = Type.Object({
  ticketId: Id,
  label: Type.String(),
  state: Type.Integer(),
  changes: Type.Array(
    Type.Object({
      version: Type.Integer(),
      at: Time,
      action: NullableText,
      kind: Type.Union([Type.String(), Type.Null()], {
        description:
          'A change without a state change: transfer, priority, note, check-in, running-late (docs/design.md §Moving tickets); null for a state change or message.',
      }),
      fromState: Type.Union([Type.Integer(), Type.Null()]),
      toState: Type.Integer(),
      by: ActorView,
      counter: CounterView,
      messages: Type.Array(TimelineMessage),
      reach: ReachView,
    }),
  ),
});

const MessageListQuery = Query({
  ticketId: Type.Optional(Id),
  status: Type.Optional(Status),
  destinationId: Type.Optional(Id),
  channel: Type.Optional(Channel),
  companyId: Type.Optional(Id),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  before: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

const ReplayRangeInput = Type.Object(
  {
    from: Time,
    to: Time,
    companyId: Type.Optional(Id),
    destinationId: Type.Optional(Id),
    ticketId: Type.Optional(Id),
    channel: Type.Optional(Channel),
    statuses: Type.Optional(Type.Array(EndedStatus, { minItems: 1, uniqueItems: true, description: 'Default: failed and expired.' })),
  },
  { additionalProperties: false },
);
const ReplayRangeResult = Type.Object({
  matched: Type.Integer(),
  replayed: Type.Integer(),
  skipped: Type.Integer({ description: 'Not the newest message of their ticket for that destination, or the destination is disabled.' }),
  truncated: Type.Boolean({ description: 'More messages matched than one call replays (10,000); call again with a narrower range.' }),
});

/** Inside the admin group: `request.admin` is the caller. */
export function registerMessageRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;

  scope.get(
    '/admin/messages',
    {
      schema: {
        tags,
        security,
        summary: 'List messages',
        description:
          'Newest first; filter by ticket, status, destination, channel and creation time; page with `before` = the last id of the previous page.',
        querystring: MessageListQuery,
        response: { 200: Type.Object({ messages: Type.Array(MessageView) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { from, to, limit, key: _key, ...filter } = request.query;
      const messages = await listMessagesFor(deps, request.admin, {
        ...filter,
        limit: limit ?? 100,
        from: from ? Date.parse(from) : undefined,
        to: to ? Date.parse(to) : undefined,
      });
      return { messages };
    },
  );

  scope.get(
    '/admin/messages/:messageId',
    {
      schema: {
        tags,
        security,
        summary: 'Inspect a message with its attempts',
        description:
          'The message with the change that made it (who, when, at which counter), every delivery attempt, every receipt the push server sent back, the fallback decision, and whether the change reached the person.',
        params: Type.Object({ messageId: Id }),
        response: {
          200: Type.Object({
            ...MessageFields,
            attempts: Type.Array(AttemptView),
            change: Type.Union([ChangeView, Type.Null()]),
            receipts: Type.Array(ReceiptView),
            fallback: FallbackView,
            reach: Type.Union([ReachView, Type.Null()]),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => inspectMessage(deps, request.admin, request.params.messageId),
  );

  scope.get(
    '/admin/tickets/:ticketId/timeline',
    {
      schema: {
        tags,
        security,
        summary: "A ticket's timeline",
        description:
          'Every change of the ticket (who: operator, user or scheduler; when; at which counter), each of its messages as committed, every delivery attempt with its duration, every receipt (device, provider, outcome), every fallback decision, and whether, when and how the change reached the person.',
        params: Type.Object({ ticketId: Id }),
        response: { 200: TicketTimeline, ...errors(401, 403, 404) },
      },
    },
    async (request) => ticketTimeline(deps, request.admin, request.params.ticketId),
  );

  scope.post(
    '/admin/messages/:messageId/replay',
    {
      schema: {
        tags,
        security,
        summary: 'Replay a message',
        description:
          'Sends an ended message again with the same webhook-id and a fresh deadline as long as its first one. ' +
          'Refused (409) while it is still on its way, when a newer message of its ticket went to the same place, or when its destination is disabled.',
        params: Type.Object({ messageId: Id }),
        response: { 202: MessageView, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await replayMessage(deps, request.admin, request.params.messageId)),
  );

  scope.post(
    '/admin/messages/replay',
    {
      schema: {
        tags,
        security,
        summary: 'Replay the messages of a time range',
        description:
          'Replays the ended messages created in [from, to) that match the filters (by default the failed and expired ones), ' +
          'at most 10,000 per call, skipping those a newer message of their ticket replaced.',
        body: ReplayRangeInput,
        response: { 202: ReplayRangeResult, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { from, to, ...filter } = request.body;
      return reply.code(202).send(await replayRange(deps, request.admin, { ...filter, from: Date.parse(from), to: Date.parse(to) }));
    },
  );
}
