export enum XRechnungErrorCode {
  RulesNotBuilt = 'rules-not-built',
  WorkerFailed = 'worker-failed',
  ValidatorClosed = 'validator-closed',
}

/** Failures of the validation engine itself (never of the document: those are findings in the report). */
export class XRechnungException extends Error {
  constructor(
    readonly code: XRechnungErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'XRechnungException';
  }
}
