import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as delivery from './0002-delivery.js';
import * as queueDepth from './0003-queue-depth.js';
import * as heartbeat from './0004-heartbeat.js';
import * as abuseLimits from './0006-abuse-limits.js';
import * as operations from './0007-operations.js';
import * as linebertyAuth from './0008-lineberty-auth.js';
import * as linebertyShapes from './0009-lineberty-shapes.js';
import * as linebertyEvents from './0010-lineberty-events.js';
import * as receiptsAndFallback from './0011-receipts-and-fallback.js';
import * as analytics from './0012-analytics.js';
import * as kiosks from './0013-kiosks.js';
import * as smsOptOuts from './0014-sms-opt-outs.js';
import * as outboxTraceparent from './0015-outbox-traceparent.js';
import * as emailFallback from './0016-email-fallback.js';
import * as movingTickets from './0017-moving-tickets.js';
import * as placeGroupsAndQueueRoles from './0018-place-groups-and-queue-roles.js';
import * as lineOrderIndex from './0019-line-order-index.js';
import * as fewerScatteredIndexes from './0020-fewer-scattered-indexes.js';

/** Every migration of the queue service, in order; names sort as they apply. */
export const queueServiceMigrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-delivery': delivery,
  '0003-queue-depth': queueDepth,
  '0004-heartbeat': heartbeat,
  '0006-abuse-limits': abuseLimits,
  '0007-operations': operations,
  '0008-lineberty-auth': linebertyAuth,
  '0009-lineberty-shapes': linebertyShapes,
  '0010-lineberty-events': linebertyEvents,
  '0011-receipts-and-fallback': receiptsAndFallback,
  '0012-analytics': analytics,
  '0013-kiosks': kiosks,
  '0014-sms-opt-outs': smsOptOuts,
  '0015-outbox-traceparent': outboxTraceparent,
  '0016-email-fallback': emailFallback,
  '0017-moving-tickets': movingTickets,
  '0018-place-groups-and-queue-roles': placeGroupsAndQueueRoles,
  '0019-line-order-index': lineOrderIndex,
  '0020-fewer-scattered-indexes': fewerScatteredIndexes,
};
