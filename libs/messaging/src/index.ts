export { MessagingErrorCode, NonRetriableError } from './errors';
export { buildEnvelope, decodeEnvelope, encodeEnvelope, headersToStrings, type NewEnvelope } from './envelope-codec';
export { createKafka, logicalName, physicalName, type KafkaSettings } from './kafka';
export { TopicAdmin, type TopicSettings } from './topic-admin';
export { CreateMessagingTables1732300000000 } from './messaging.migration';
export { CreateRepairTables1733500000000 } from './operations.migration';
export { addToOutbox, addManyToOutbox, DEFAULT_MESSAGE_MAX_BYTES, MessageTooLargeError, type OutgoingMessage } from './outbox';
export { claimInbox } from './inbox';
export { infrastructureOutage, type InfrastructureKind } from './infrastructure-errors';
export { OutboxRelay, messageRefusal, type OutboxRelayOptions, type RelayStatus } from './outbox-relay';
export {
  ReliableConsumer,
  type ConsumerStatus,
  type MessageContext,
  type MessageHandler,
  type ReliableConsumerOptions,
  type TopicPatternSubscription,
} from './reliable-consumer';
export {
  MessagingRuntime,
  type MessagingRuntimeOptions,
  type ConsumerSpec,
  type MessagingHealth,
  type MessagingProblem,
} from './messaging-runtime';
export { RepairService, RepairError, RepairErrorCode, type ReplayOutcome } from './repair/repair.service';
export { type DeadLetter, type DeadLetterDetail, type DeadLetterFilter, type DeadLetterState } from './repair/dead-letter.repository';
export { type ParkedRow, type ParkedFilter, type ParkedState } from './repair/parked-outbox.repository';
export { type RepairAuditEntry } from './repair/repair-audit.repository';
