import { typedErrors, type HttpStatus } from '@poststelle/platform';

/** Every error erechnung answers with; the code is the problem `type`, the status follows from the code. */
export enum ErechnungErrorCode {
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** The XRechnung engine or a Leitweg-ID check rejected the invoice; the body carries the report. */
  InvoiceRejected = 'INVOICE_REJECTED',
  InvoiceNotFound = 'INVOICE_NOT_FOUND',
  InvoiceReplyNotFound = 'INVOICE_REPLY_NOT_FOUND',
  OutboundInvoiceNotFound = 'OUTBOUND_INVOICE_NOT_FOUND',
  OutboundInvoiceFailureNotFound = 'OUTBOUND_INVOICE_FAILURE_NOT_FOUND',
  UnsupportedFormat = 'UNSUPPORTED_FORMAT',
  FeeRecordNotFound = 'FEE_RECORD_NOT_FOUND',
  IssuerNotFound = 'ISSUER_NOT_FOUND',
  InvalidArs = 'INVALID_ARS',
  InvalidIban = 'INVALID_IBAN',
  InvalidLeitwegId = 'INVALID_LEITWEG_ID',
  InvalidQuery = 'INVALID_QUERY',
  /** A change names a tenant (or an object of a tenant) the caller does not administer. */
  ForeignTenant = 'FOREIGN_TENANT',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<ErechnungErrorCode, HttpStatus> = {
  [ErechnungErrorCode.UnsupportedMediaType]: 415,
  [ErechnungErrorCode.InvoiceRejected]: 422,
  [ErechnungErrorCode.InvoiceNotFound]: 404,
  [ErechnungErrorCode.InvoiceReplyNotFound]: 404,
  [ErechnungErrorCode.OutboundInvoiceNotFound]: 404,
  [ErechnungErrorCode.OutboundInvoiceFailureNotFound]: 404,
  [ErechnungErrorCode.UnsupportedFormat]: 400,
  [ErechnungErrorCode.FeeRecordNotFound]: 404,
  [ErechnungErrorCode.IssuerNotFound]: 404,
  [ErechnungErrorCode.InvalidArs]: 422,
  [ErechnungErrorCode.InvalidIban]: 422,
  [ErechnungErrorCode.InvalidLeitwegId]: 422,
  [ErechnungErrorCode.InvalidQuery]: 400,
  [ErechnungErrorCode.ForeignTenant]: 403,
};

export const ErechnungException = typedErrors('ErechnungException', STATUS);
export type ErechnungException = InstanceType<typeof ErechnungException>;
