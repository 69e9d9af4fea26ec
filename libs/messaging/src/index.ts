export { MessagingErrorCode, NonRetriableError } from './errors';
export { buildEnvelope, decodeEnvelope, encodeEnvelope, headersToStrings, type NewEnvelope } from './envelope-codec';
export { createKafka, logicalName, physicalName, type KafkaSettings } from './kafka';
export { TopicAdmin } from './topic-admin';
export { CreateMessagingTables1732300000000 } from './messaging.migration';
export { addToOutbox, type OutgoingMessage } from './outbox';
export { claimInbox } from './inbox';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
export {
  ReliableConsumer,
  type MessageContext,
  type MessageHandler,
  type ReliableConsumerOptions,
  type TopicPatternSubscription,
} from './reliable-consumer';
export { MessagingRuntime, type MessagingRuntimeOptions, type ConsumerSpec } from './messaging-runtime';
