import { typedErrors, type HttpStatus } from '@poststelle/platform';

export enum PaymentErrorCode {
  InvalidFeeKey = 'INVALID_FEE_KEY',
  TenantNotPermitted = 'TENANT_NOT_PERMITTED',
  PaymentNotFound = 'PAYMENT_NOT_FOUND',
  StatementUnreadable = 'STATEMENT_UNREADABLE',
  StatementNotCamt = 'STATEMENT_NOT_CAMT',
  StatementTenantRequired = 'STATEMENT_TENANT_REQUIRED',
  StatementConflict = 'STATEMENT_CONFLICT',
  ImportNotFound = 'IMPORT_NOT_FOUND',
  QueueItemNotFound = 'QUEUE_ITEM_NOT_FOUND',
  QueueItemSettled = 'QUEUE_ITEM_SETTLED',
  TransitionNotAllowed = 'TRANSITION_NOT_ALLOWED',
  ProviderNotConfigured = 'PROVIDER_NOT_CONFIGURED',
  ProviderUnavailable = 'PROVIDER_UNAVAILABLE',
  RefundRequestReused = 'REFUND_REQUEST_REUSED',
  RefundExceedsPaid = 'REFUND_EXCEEDS_PAID',
  IdempotencyKeyRequired = 'IDEMPOTENCY_KEY_REQUIRED',
  InvalidPayee = 'INVALID_PAYEE',
  InvalidRefundAmount = 'INVALID_REFUND_AMOUNT',
  PayeeNotFound = 'PAYEE_NOT_FOUND',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<PaymentErrorCode, HttpStatus> = {
  [PaymentErrorCode.InvalidFeeKey]: 422,
  [PaymentErrorCode.TenantNotPermitted]: 403,
  [PaymentErrorCode.PaymentNotFound]: 404,
  [PaymentErrorCode.StatementUnreadable]: 422,
  [PaymentErrorCode.StatementNotCamt]: 422,
  [PaymentErrorCode.StatementTenantRequired]: 422,
  [PaymentErrorCode.StatementConflict]: 409,
  [PaymentErrorCode.ImportNotFound]: 404,
  [PaymentErrorCode.QueueItemNotFound]: 404,
  [PaymentErrorCode.QueueItemSettled]: 409,
  [PaymentErrorCode.TransitionNotAllowed]: 409,
  [PaymentErrorCode.ProviderNotConfigured]: 409,
  [PaymentErrorCode.ProviderUnavailable]: 503,
  [PaymentErrorCode.RefundRequestReused]: 409,
  [PaymentErrorCode.RefundExceedsPaid]: 409,
  [PaymentErrorCode.IdempotencyKeyRequired]: 400,
  [PaymentErrorCode.InvalidPayee]: 422,
  [PaymentErrorCode.InvalidRefundAmount]: 422,
  [PaymentErrorCode.PayeeNotFound]: 404,
};

export const PaymentException = typedErrors('PaymentException', STATUS);
export type PaymentException = InstanceType<typeof PaymentException>;
