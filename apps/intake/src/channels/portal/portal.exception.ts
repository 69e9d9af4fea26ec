import { type HttpStatus } from '@poststelle/platform';
import { channelErrors } from '../../core';

/** The own codes of the portal channel (submissions and bundles over HTTP); its other refusals carry the core's IntakeErrorCode. */
export enum PortalErrorCode {
  InvalidIdempotencyKey = 'INVALID_IDEMPOTENCY_KEY',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<PortalErrorCode, HttpStatus> = {
  [PortalErrorCode.InvalidIdempotencyKey]: 400,
};

export const PortalException = channelErrors('PortalException', STATUS);
export type PortalException = InstanceType<typeof PortalException>;
