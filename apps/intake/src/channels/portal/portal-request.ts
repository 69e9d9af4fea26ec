import { ContractValidationError, type FieldError } from '@poststelle/contracts';
import { type Principal, type RawBodyRequest } from '@poststelle/platform';
import {
  IntakeError,
  IntakeErrorCode,
  IntakeException,
  isCoreRefusal,
  isInputRejection,
  originalOf,
  parseJsonObject,
  receivedBody,
  type RejectedInputsRepository,
  submitterOf,
  type Submitter,
} from '../../core';
import { PortalErrorCode, PortalException } from './portal.exception';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** What both portal routes (`/v1/submissions`, `/v1/bundles`) read before they accept anything. */
export interface PortalRequest {
  submitter: Submitter;
  /** The body as received, the original a rejection keeps. */
  bytes: Buffer;
  /** The body as one JSON object. */
  body: Record<string, unknown>;
}

/**
 * Who submits, the Idempotency-Key (1-200 visible ASCII characters, when given) and the body as one JSON object in
 * UTF-8. A body that is not one is refused and kept as a rejected input, with what arrived of it.
 */
export async function readPortalRequest(
  rejections: RejectedInputsRepository,
  req: RawBodyRequest,
  idempotencyKey: string | undefined,
  principal: Principal | undefined,
): Promise<PortalRequest> {
  if (!principal) throw new Error('a route with a permission runs with a principal');
  const submitter = submitterOf(principal);
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new PortalException(PortalErrorCode.InvalidIdempotencyKey, 'Idempotency-Key must be 1-200 visible ASCII characters');
  }
  const received = receivedBody(req);
  try {
    return { submitter, bytes: received.bytes, body: parseJsonObject(received) };
  } catch (error) {
    if (!(error instanceof IntakeError)) throw error;
    throw await rejections.refuse(error, originalOf(received), submitter.id);
  }
}

/** A refused input as kept: its reason, field errors and the id the client can quote. */
export interface KeptRefusal {
  code: string;
  errors: FieldError[];
  rejectionId: string;
  /** The typed refusal kept; undefined when the contract's field validation refused the input. */
  refusal?: IntakeError;
}

/**
 * Keeps an input the contract's validation or a typed refusal turned away (with its original and reason) and says
 * how; undefined for every other error, which passes unchanged: a lookup, a server fault, or an Idempotency-Key
 * replayed with another body (nothing new arrived, the first submission stands).
 */
export async function keepRefusal(
  rejections: RejectedInputsRepository,
  error: unknown,
  original: Buffer,
  submittedBy: string,
): Promise<KeptRefusal | undefined> {
  let kept: Omit<KeptRefusal, 'rejectionId'>;
  if (error instanceof ContractValidationError) kept = { code: IntakeErrorCode.InvalidSubmission, errors: error.errors };
  else if (isInputRejection(error) && !isCoreRefusal(error, IntakeErrorCode.IdempotencyKeyReused)) {
    const errors = (error.extensions['errors'] as FieldError[] | undefined) ?? [{ field: '$', message: error.message }];
    kept = { code: error.code, errors, refusal: error };
  } else return undefined;
  const rejectionId = await rejections.record({ source: 'http', reasonCode: kept.code, errors: kept.errors, original, submittedBy });
  return { ...kept, rejectionId };
}

/** The answer when the contract's field validation refused the input: its field errors and the rejection id. */
export function invalidInput(what: 'submission' | 'bundle', { errors, rejectionId }: KeptRefusal): IntakeException {
  return new IntakeException(IntakeErrorCode.InvalidSubmission, `the ${what} is invalid: ${errors.length} field(s) failed validation`, {
    errors,
    rejectionId,
  });
}
