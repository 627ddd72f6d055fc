/**
 * What the queuebell package offers to code that imports it (the `queuebell` command is bin/): the
 * contract both services share — Standard Webhooks signing and verification for a webhook
 * receiver, the message body, delivery receipts, ticket states and error codes — and the push
 * registration client.
 */
export * from './contract/standard-webhooks.js';
export * from './contract/message.js';
export * from './contract/receipts.js';
export * from './contract/ticket-states.js';
export { AppError, type ErrorBody, type ErrorCode } from './contract/errors.js';
export * from './clients/push-client.js';
