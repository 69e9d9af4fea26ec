/**
 * The envelope every Kafka message carries as its JSON value. The W3C trace context travels in Kafka headers
 * (`traceparent`, `tracestate`), not in the body.
 */
export interface EventEnvelope<P = unknown> {
  /** Unique message id (UUID); consumers deduplicate on it. */
  id: string;
  /** Event type, e.g. `case.received`. */
  type: string;
  /** Payload schema version. */
  version: number;
  occurredAt: string;
  /** The case (or submission) this message belongs to; stays the same across every hop. */
  correlationId: string;
  /** The id of the message that caused this one, if any. */
  causationId?: string;
  /** Tenant: the ARS of the responsible authority. */
  tenant: string;
  payload: P;
}

export const EventTypes = {
  submissionSubmitted: 'submission.submitted',
  caseReceived: 'case.received',
  caseRouted: 'case.routed',
  manualRoutingRequired: 'case.manual-routing-required',
  feeDue: 'fee.due',
  feeNotRequired: 'fee.not-required',
  paymentStatusChanged: 'payment.status-changed',
  feeScheduleChanged: 'fee-schedule.changed',
  archiveFileOpened: 'archive.file-opened',
  invoiceFeeRecorded: 'invoice.fee-recorded',
  invoiceReceived: 'invoice.received',
  invoiceSubmitted: 'invoice.submitted',
  invoiceIssued: 'invoice.issued',
  caseStatusChanged: 'case.status-changed',
  caseEvidenceAdded: 'case.evidence-added',
  portalMessage: 'notification.portal-message',
  postalLetter: 'notification.postal-letter',
  scanClassificationRequired: 'scan.classification-required',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

export const MessageHeaders = {
  messageId: 'ps-message-id',
  type: 'ps-type',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  dlqError: 'ps-dlq-error',
  dlqErrorName: 'ps-dlq-error-name',
  dlqAttempts: 'ps-dlq-attempts',
  dlqSourceTopic: 'ps-dlq-source-topic',
  dlqSourcePartition: 'ps-dlq-source-partition',
  dlqSourceOffset: 'ps-dlq-source-offset',
  dlqConsumerGroup: 'ps-dlq-consumer-group',
  dlqFailedAt: 'ps-dlq-failed-at',
  dlqErrorCode: 'ps-dlq-error-code',
  /** The dead letter (id in the consumer's `dead_letters` table) this message is a replay of. */
  replayOf: 'ps-replay-of',
  /** How many times this message has been replayed from a dead letter (loop guard). */
  replayGeneration: 'ps-replay-generation',
} as const;
