export enum XRechnungErrorCode {
  RulesNotBuilt = 'rules-not-built',
  WorkerFailed = 'worker-failed',
  ValidatorClosed = 'validator-closed',
  /** A fee invoice model the generator refuses to write (empty lines, VAT id with category O, ...). */
  InvalidInvoiceModel = 'invalid-invoice-model',
  /** A document the fee invoice reader cannot read back. */
  UnreadableInvoice = 'unreadable-invoice',
}

/** Failures of the validation engine or the generator (never of a validated document: those are findings in the report). */
export class XRechnungException extends Error {
  constructor(
    readonly code: XRechnungErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'XRechnungException';
  }
}
