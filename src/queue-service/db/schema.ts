/**
 * The queue service's tables as Kysely sees them. Times are epoch milliseconds (bigint), booleans
 * 0/1 and structured settings JSON text, so the same rows mean the same thing on both engines.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { TicketStateCode } from '../../contract/ticket-states.js';
import type { JsonText, LocalizedNames } from '../../platform/json-text.js';

type Bool = 0 | 1;

export interface CompanyTable {
  id: string;
  name: string;
  created_at: number;
  /** JSON of NotificationLimits (notifications/limits.ts), migration 0006; null: the defaults. */
  notification_limits: Generated<string | null>;
  /** Days after which personal data of ended tickets and finished messages is erased (migration 0007). */
  retention_days: ColumnType<number, number | undefined, number>;
}

export interface ApiKeyTable {
  id: string;
  company_id: string;
  name: string;
  key_hash: string;
  /** The first characters of the key, shown in listings so people can tell keys apart. */
  key_prefix: string;
  /** Comma-separated scopes: booking, server, operator, admin. */
  scopes: string;
  created_at: number;
  revoked_at: number | null;
  /** Set on keys handed out by GET /v2/api_key (migration 0008); null on keys made by an admin. */
  service_account_id: string | null;
  /** When a service account's key stops being the current one; it still works 24 h more. Null: never. */
  expires_at: number | null;
}

/** A company's server identity, Lineberty-style (migration 0008): only the public key is kept. */
export interface ServiceAccountTable {
  id: string;
  company_id: string;
  name: string;
  client_email: string;
  client_id: string;
  /** The key file's private_key_id, sent as the JWT header's kid. */
  key_id: string;
  /** SPKI PEM of the RS256 key. */
  public_key: string;
  /** Comma-separated scopes of the API keys it receives. */
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

/** A user's or operator's session (migration 0008): the jti of its tokens; ended sessions revoke them. */
export interface SessionTable {
  id: string;
  company_id: string;
  kind: 'user' | 'operator';
  /** The user id or the operator id. */
  subject_id: string;
  created_at: number;
  ended_at: number | null;
}

export interface PlaceTable {
  id: string;
  company_id: string;
  name: string;
  time_zone: string;
  lang: string;
  address: string | null;
  created_at: number;
  /** Names per locale beside `name`, the default (migration 0009), and the rest of a Lineberty place. */
  names: JsonText<LocalizedNames>;
  city: string | null;
  zip: string | null;
  country: string | null;
  lat: number | null;
  lng: number | null;
}

/** A subdivision of a place (migration 0009); a place has subplaces or categories, never both. */
export interface SubplaceTable {
  id: string;
  company_id: string;
  place_id: string;
  name: string;
  names: JsonText<LocalizedNames>;
  created_at: number;
}

/** A group of queues of a place, or of one of its subplaces (`subplace_id`, migration 0018). */
export interface CategoryTable extends SubplaceTable {
  subplace_id: string | null;
}

/** An operator's whole role in one queue, instead of their own (migration 0018; docs/lineberty/auth.md §Roles). */
export interface OperatorQueueRoleTable {
  operator_id: string;
  queue_id: string;
  company_id: string;
  /** JSON of OperatorRoles (entities/operator-roles.ts). */
  roles: string;
  updated_at: number;
}

export interface QueueTable {
  id: string;
  company_id: string;
  place_id: string;
  name: string;
  /** Letter(s) before the number in labels, e.g. "A" gives A001. */
  label_prefix: string;
  /** JSON of QueueSettings (entities/queue-settings.ts). */
  settings: string;
  /** Booking is paused until this moment (an operator paused it for the day). */
  booking_paused_until: number | null;
  created_at: number;
  /** Names per locale beside `name` (migration 0009). */
  names: JsonText<LocalizedNames>;
  /** The subplace or category the queue is listed under, if any (migration 0009). */
  subplace_id: string | null;
  category_id: string | null;
}

export interface EndpointTable {
  id: string;
  company_id: string;
  place_id: string;
  name: string;
  /** Names per locale, for display boards. */
  names: JsonText<LocalizedNames>;
  is_open: Bool;
  opened_at: number | null;
  created_at: number;
}

export interface EndpointQueueTable {
  endpoint_id: string;
  queue_id: string;
}

export interface OperatorTable {
  id: string;
  company_id: string;
  login_id: string;
  name: string;
  password_hash: string;
  /** JSON of OperatorRoles (entities/operator-roles.ts). */
  roles: string;
  created_at: number;
  /** Bumped by a password, login or role change (migration 0006); tokens carry the one they were issued with. */
  token_version: Generated<number>;
}

export interface UserTable {
  id: string;
  company_id: string;
  created_at: number;
}

export interface LabelCounterTable {
  queue_id: string;
  /** The place's local day, YYYY-MM-DD: labels restart every day. */
  day: string;
  last_number: number;
}

/**
 * How many tickets and people wait in a queue, kept in step with every change in the same
 * transaction, so booking and queue state need no count over the waiting line.
 */
export interface QueueCounterTable {
  queue_id: string;
  fifo_tickets: number;
  fifo_people: number;
  appointment_tickets: number;
  appointment_people: number;
}

export interface TicketTable {
  id: string;
  company_id: string;
  place_id: string;
  queue_id: string;
  user_id: string | null;
  label: string;
  label_day: string;
  /** The number in the label: booking order within the queue and day, even within one millisecond. */
  label_number: number;
  state: TicketStateCode;
  lang: string;
  group_size: number;
  source: string | null;
  is_appointment: Bool;
  booked_for: number | null;
  appointment_type_id: string | null;
  name: string | null;
  phone: string | null;
  mail: string | null;
  push_id: string | null;
  send_push: Bool;
  send_sms: Bool;
  send_mail: Bool;
  /** An SMS when an urgent push does not reach the person (migration 0011, docs/design.md §Fallback); needs a phone. */
  sms_fallback: Generated<Bool>;
  /** An e-mail when an urgent push does not reach the person (migration 0016, docs/design.md §Fallback); needs a mail. */
  email_fallback: Generated<Bool>;
  endpoint_id: string | null;
  recall_count: number;
  booked_at: number;
  to_confirm_at: number | null;
  alerted_at: number | null;
  called_at: number | null;
  on_hold_at: number | null;
  no_show_at: number | null;
  in_progress_at: number | null;
  canceled_at: number | null;
  done_at: number | null;
  updated_at: number;
  rating: number | null;
  rating_comment: string | null;
  /** The people-ahead position of the queue's alertPositions this ticket was last alerted at. */
  alert_ahead: number | null;
  /** When name, phone, e-mail, pushId and rating comment were erased (retention or a person's request; migration 0007). */
  personal_data_erased_at: number | null;
  /** Bumped by every change; the order of a ticket's messages. */
  version: number;
  /** Its place in the FIFO line: booked_at, or when a transfer sent it to the end (migration 0017, docs/design.md §Moving tickets). */
  line_at: Generated<number>;
  /** Called before the others of its line (a queue's `priorityAllowed`). */
  priority: Generated<Bool>;
  /** A transferred waiting ticket kept for this counter: no other counter calls it. */
  for_endpoint_id: Generated<string | null>;
  /** Staff only: never in a ticket view, a message or the display. */
  staff_note: Generated<string | null>;
  /** When the person said "I'm here". */
  checked_in_at: Generated<number | null>;
  /** The person's "running late": by how many minutes, said when. */
  late_minutes: Generated<number | null>;
  late_at: Generated<number | null>;
}

/** One row per change of a ticket: its history, and the feed live streams replay from. */
export interface TicketEventTable {
  id: Generated<number>;
  ticket_id: string;
  company_id: string;
  place_id: string;
  queue_id: string;
  version: number;
  from_state: TicketStateCode | null;
  to_state: TicketStateCode;
  action: string | null;
  actor: string;
  endpoint_id: string | null;
  at: number;
  /** What a change without a state change was (migration 0017): `transfer`, `priority`, `note`, `check-in`, `running-late`; null otherwise. */
  kind: Generated<string | null>;
  /** JSON text of what the event needs beside its kind (a transfer's from and to); never a note's text. */
  detail: Generated<string | null>;
}

export interface WebhookTable {
  id: string;
  company_id: string;
  url: string;
  description: string | null;
  enabled: Bool;
  /** The actions to send, or null for all. */
  actions: JsonText<string[]> | null;
  /** JSON array of {sealed, createdAt, expiresAt}: the newest signs, older ones sign too until they expire. */
  secrets: string;
  failing_since: number | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
  /** Delivery health (migration 0002): failed attempts since the last success, and when things last went right or wrong. */
  consecutive_failures: Generated<number>;
  last_success_at: number | null;
  last_failure_at: number | null;
  last_failure_reason: string | null;
  /** When the dispatcher disabled it for failing (disabled_reason says why); null while enabled or disabled by hand. */
  disabled_at: number | null;
  /** The sealed `whsec_` secret the push server signs receipts with (migration 0011); null: receipts refused. */
  receipt_secret: string | null;
}

export type MessageChannel = 'webhook' | 'sms' | 'email';
export type MessageStatus = 'pending' | 'delivering' | 'delivered' | 'failed' | 'expired' | 'superseded';

export interface MessageTable {
  id: string;
  company_id: string;
  ticket_id: string;
  queue_id: string;
  channel: MessageChannel;
  /** The webhook destination; null for SMS and e-mail. */
  destination_id: string | null;
  /** pushId, phone number or mail address. */
  recipient: string;
  action: string;
  /** The ticket version that produced it: per-ticket order. */
  ticket_version: number;
  /** Webhook: the exact JSON body. SMS: {to, text}. E-mail: {to, subject, text}. */
  body: string;
  status: MessageStatus;
  created_at: number;
  deliver_by: number;
  next_attempt_at: number;
  attempt_count: number;
  last_error: string | null;
  delivered_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  /** When the body and recipient were erased (migration 0007). */
  personal_data_erased_at: number | null;
  /** How often an admin replayed it (migration 0002); attempt_count restarts at each replay. */
  replay_count: Generated<number>;
  replayed_at: number | null;
  /** Why the send policy refused this SMS or e-mail (notifications/send-policy.ts, migration 0006); null: not refused. */
  refused_reason: Generated<string | null>;
  /** The W3C trace context of the change that wrote it (docs/design.md §Traces, migration 0015); null: not traced. */
  traceparent: Generated<string | null>;
}

export interface MessageAttemptTable {
  id: string;
  message_id: string;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  outcome: string;
  response_excerpt: string | null;
  error: string | null;
}

/** A kind of appointment a queue offers (migration 0003): how long it lasts and how many people a slot takes. */
export interface AppointmentTypeTable {
  id: string;
  company_id: string;
  queue_id: string;
  name: string;
  names: JsonText<LocalizedNames>;
  duration_minutes: number;
  /** People one slot takes: a group of 3 uses 3 places. */
  capacity: number;
  created_at: number;
  updated_at: number;
}

export type ScheduledJobKind = 'onhold_timeout' | 'noshow_timeout' | 'appointment_alert' | 'reminder' | 'push_fallback';

/**
 * A time-driven change of a ticket that is due at `due_at` (migration 0003): durable, so a restart
 * misses nothing; claimed with a lease, so several schedulers never fire one twice.
 */
export interface ScheduledJobTable {
  id: string;
  company_id: string;
  ticket_id: string;
  kind: ScheduledJobKind;
  /** The reminder rule's id; 0 for the other kinds (unique per ticket, kind and rule). */
  rule_id: number;
  /** When it is due; while claimed, when the claim's lease ends. */
  due_at: number;
  lease_owner: string | null;
  attempts: number;
  created_at: number;
}

/** When a queue takes appointments (migration 0003); a queue without a row has no hours (any time). */
export interface QueueOpeningHoursTable {
  queue_id: string;
  /** JSON of OpeningHours (appointments/opening-hours.ts), wall times in the place's time zone. */
  hours: string;
  updated_at: number;
}

/** Moving average of service time per person in a queue (in progress → done), for estimates (migration 0003). */
export interface QueueServiceTimeTable {
  queue_id: string;
  ms_per_person: number;
  samples: number;
  updated_at: number;
}

/** A tablet at a place's entrance that gives walk-ins a ticket (migration 0013). */
export interface KioskTable {
  id: string;
  company_id: string;
  place_id: string;
  name: string;
  key_hash: string;
  /** The first characters of the key, to tell keys apart in a list. */
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
}

/** A number that replied STOP to a company's texts (migration 0014). */
export interface SmsOptOutTable {
  company_id: string;
  phone: string;
  opted_out_at: number;
}

/** A one-time code sent to prove a phone number or e-mail address (migration 0006). */
export interface ContactVerificationTable {
  id: string;
  company_id: string;
  user_id: string;
  channel: 'sms' | 'email';
  address: string;
  code_hash: string;
  /** Wrong codes tried; the code is dead past the limit. */
  attempts: number;
  created_at: number;
  expires_at: number;
  verified_at: number | null;
}

/** What the push server reported about a message (migration 0011, docs/design.md §Receipts). */
export interface MessageReceiptTable {
  /** The receipt's own webhook-id: a receipt delivered twice is stored once. */
  id: string;
  message_id: string;
  company_id: string;
  type: 'push.receipt' | 'device.invalidated';
  /** A ReceiptOutcome (src/contract/receipts.ts); `token_invalid` for device.invalidated. */
  outcome: string;
  device_id: string | null;
  provider: string | null;
  provider_message_id: string | null;
  reason: string | null;
  /** Devices the message went to, as the push server counted them. */
  devices: number;
  /** When it happened at the push server. */
  occurred_at: number;
  received_at: number;
}

/** The one fallback decision about a push message (migration 0011, docs/design.md §Fallback). */
export interface FallbackDecisionTable {
  message_id: string;
  company_id: string;
  ticket_id: string;
  decision: 'sent' | 'skipped';
  reason: string;
  /** The SMS or e-mail message written when sent. */
  fallback_message_id: string | null;
  decided_at: number;
  /** The channel the fallback went by, null when none did (migration 0016). */
  channel: FallbackChannel | null;
  /** JSON `[{channel, reason}]`: channels passed over, in the queue's order (migration 0016). */
  channel_skips: JsonText<{ channel: FallbackChannel; reason: string }[]> | null;
}

export type FallbackChannel = 'sms' | 'email';

export interface QueueServiceSchema {
  companies: CompanyTable;
  api_keys: ApiKeyTable;
  service_accounts: ServiceAccountTable;
  sessions: SessionTable;
  places: PlaceTable;
  subplaces: SubplaceTable;
  categories: CategoryTable;
  operator_queue_roles: OperatorQueueRoleTable;
  queues: QueueTable;
  endpoints: EndpointTable;
  endpoint_queues: EndpointQueueTable;
  operators: OperatorTable;
  users: UserTable;
  label_counters: LabelCounterTable;
  queue_counters: QueueCounterTable;
  tickets: TicketTable;
  ticket_events: TicketEventTable;
  webhooks: WebhookTable;
  messages: MessageTable;
  message_attempts: MessageAttemptTable;
  appointment_types: AppointmentTypeTable;
  scheduled_jobs: ScheduledJobTable;
  queue_service_times: QueueServiceTimeTable;
  queue_opening_hours: QueueOpeningHoursTable;
  kiosks: KioskTable;
  sms_opt_outs: SmsOptOutTable;
  contact_verifications: ContactVerificationTable;
  pages_settings: PagesSettingsTable;
  message_receipts: MessageReceiptTable;
  fallback_decisions: FallbackDecisionTable;
}

/** The one row (id 1) of what /config.json serves the public pages, as JSON (migration 0007). */
export interface PagesSettingsTable {
  id: number;
  settings: string;
  updated_at: number;
}

export type Ticket = Selectable<TicketTable>;
export type NewTicket = Insertable<TicketTable>;
export type TicketUpdate = Updateable<TicketTable>;
export type Queue = Selectable<QueueTable>;
export type Place = Selectable<PlaceTable>;
export type Subplace = Selectable<SubplaceTable>;
export type Category = Selectable<CategoryTable>;
export type OperatorQueueRole = Selectable<OperatorQueueRoleTable>;
export type Endpoint = Selectable<EndpointTable>;
export type Operator = Selectable<OperatorTable>;
export type Webhook = Selectable<WebhookTable>;
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
export type MessageAttempt = Selectable<MessageAttemptTable>;
export type Company = Selectable<CompanyTable>;
export type ApiKey = Selectable<ApiKeyTable>;
export type Kiosk = Selectable<KioskTable>;
export type ServiceAccount = Selectable<ServiceAccountTable>;
export type Session = Selectable<SessionTable>;
export type AppointmentType = Selectable<AppointmentTypeTable>;
export type ScheduledJob = Selectable<ScheduledJobTable>;
export type MessageReceipt = Selectable<MessageReceiptTable>;
export type FallbackDecision = Selectable<FallbackDecisionTable>;
export type NewScheduledJob = Insertable<ScheduledJobTable>;
