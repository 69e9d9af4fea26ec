/**
 * Every Kafka topic name lives here, versioned. A breaking change to a payload means a new `.vN` topic,
 * never an in-place change.
 */
export const Topics = {
  /** Channel adapters publish raw submissions here; intake validates and turns them into cases. */
  intakeSubmissions: 'intake.submissions.v1',
  /** A canonical case was accepted by intake. Key: case id. */
  casesReceived: 'cases.received.v1',
  /** Routing decided the responsible procedure. Key: case id. */
  casesRouted: 'cases.routed.v1',
  /** Cases routing could not resolve; a clerk decides. Key: case id. */
  routingManual: 'routing.manual.v1',
  /** What a case owes (`fee.due`, `fee.not-required`) and every payment transition (`payment.status-changed`). Key: case id. */
  paymentsEvents: 'payments.events.v1',
  /** Fee schedule versions (`fee-schedule.changed`), e.g. for routing's payment gate. Key: `<leikaKey>:<arsPrefix>`. */
  paymentsFeeSchedule: 'payments.fee-schedule.v1',
  /** E-file (E-Akte) opened for a case, with its documents and their hashes. Key: case id. */
  archiveRecords: 'archive.records.v1',
  /**
   * Deprecated: the shared status topic every back office could write, so the broker could not tell who reports for
   * which procedure. Back offices report on `procedure.<procedureId>.status.v1` (`procedureStatusTopic`); routing
   * reads this one only while `LEGACY_SHARED_STATUS_TOPIC` is on (ADR 0013). Key: case id.
   */
  casesStatus: 'cases.status.v1',
  /** Follow-up evidence for an existing case (e.g. the signed paper for a case held for the written form). */
  casesEvidence: 'cases.evidence.v1',
  /** Messages for the applicant's portal mailbox (reply channels other than email). Key: case id. */
  notificationsPortal: 'notifications.portal.v1',
  /** Letter orders for the print-and-mail (hybrid mail) service (reply channel `postal`). Key: case id. */
  notificationsPostal: 'notifications.postal.v1',
  /** Scanned documents intake could not assign to a service with enough confidence; a clerk classifies them. Key: item id. */
  intakeScanClassification: 'intake.scan.classification.v1',
  /** Fees recorded for invoicing and outbound invoices issued (key: case id); inbound e-invoices received (key: invoice id). */
  invoicesEvents: 'invoices.events.v1',
  /** E-invoices received by intake (email attachments) for erechnung to validate; claim check by blob sha512. Key: submission id. */
  invoicesInbound: 'invoices.inbound.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

const PROCEDURE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Back-office systems consume exactly their own topic: `procedure.<procedureId>.cases.v1`. */
export function procedureTopic(procedureId: string): string {
  if (!PROCEDURE_ID.test(procedureId)) {
    throw new Error(`invalid procedure id '${procedureId}': lower-case letters, digits and '-', 2-63 characters`);
  }
  return `procedure.${procedureId}.cases.v1`;
}

/**
 * A back office reports progress on exactly its own topic: `procedure.<procedureId>.status.v1` (key: case id). Only
 * that procedure's principal may write it (deploy/kafka-acls), so the topic name is the reporter's identity.
 */
export function procedureStatusTopic(procedureId: string): string {
  if (!PROCEDURE_ID.test(procedureId)) {
    throw new Error(`invalid procedure id '${procedureId}': lower-case letters, digits and '-', 2-63 characters`);
  }
  return `procedure.${procedureId}.status.v1`;
}

/** Every procedure status topic (logical names, without a `KAFKA_NAMESPACE` prefix); group 1 is the procedure id. */
export const PROCEDURE_STATUS_TOPIC = /^procedure\.([a-z0-9][a-z0-9-]{1,62})\.status\.v1$/;

/** The procedure whose status topic `topic` (a logical name) is, or `undefined` if it is no procedure status topic. */
export function procedureOfStatusTopic(topic: string): string | undefined {
  return PROCEDURE_STATUS_TOPIC.exec(topic)?.[1];
}

export function isValidProcedureId(procedureId: string): boolean {
  return PROCEDURE_ID.test(procedureId);
}

/** A consumer group's dead-letter topic. */
export function deadLetterTopic(consumerGroup: string): string {
  return `dlq.${consumerGroup}.v1`;
}
