/**
 * What a test steers in the fake FCM: the error answered for a registration token (or every
 * token), by FCM error code, and what the fake received. A rule may apply a number of times.
 */
import { FakeControl, type Rule } from '../control.js';

export type FcmErrorCode =
  | 'UNREGISTERED'
  | 'INVALID_ARGUMENT'
  | 'QUOTA_EXCEEDED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'THIRD_PARTY_AUTH_ERROR'
  | 'SENDER_ID_MISMATCH';

export interface FcmRule extends Rule {
  errorCode: FcmErrorCode;
  /** INVALID_ARGUMENT only: say the registration token itself is bad (the device must go). */
  invalidToken?: boolean;
  retryAfter?: string;
}

export interface FcmDelivery {
  token: string;
  message: Record<string, unknown>;
  receivedAt: number;
}

export class FcmControl extends FakeControl<FcmRule, FcmDelivery> {
  constructor(keep: boolean, onDelivery?: (delivery: FcmDelivery) => void) {
    super('FCM deliveries', keep, onDelivery);
  }
}

/** FCM's HTTP status and google.rpc status for each error code (FCM v1 ErrorCode reference). */
export const FCM_ERRORS: Record<FcmErrorCode, { status: number; rpc: string }> = {
  UNREGISTERED: { status: 404, rpc: 'NOT_FOUND' },
  INVALID_ARGUMENT: { status: 400, rpc: 'INVALID_ARGUMENT' },
  QUOTA_EXCEEDED: { status: 429, rpc: 'RESOURCE_EXHAUSTED' },
  UNAVAILABLE: { status: 503, rpc: 'UNAVAILABLE' },
  INTERNAL: { status: 500, rpc: 'INTERNAL' },
  THIRD_PARTY_AUTH_ERROR: { status: 401, rpc: 'UNAUTHENTICATED' },
  SENDER_ID_MISMATCH: { status: 403, rpc: 'PERMISSION_DENIED' },
};
