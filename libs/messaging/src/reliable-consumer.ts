import { type Admin, type Consumer, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { type DataSource, type EntityManager } from 'typeorm';
import { ContractValidationError, MessageHeaders, deadLetterTopic, type EventEnvelope } from '@poststelle/contracts';
import { Logger, describeError, metrics } from '@poststelle/telemetry';
import { decodeEnvelope, headersToStrings } from './envelope-codec';
import { logicalName } from './kafka';
import { MessagingErrorCode, NonRetriableError } from './errors';
import { claimInbox } from './inbox';
import { type TopicAdmin } from './topic-admin';
import { withConsumerSpan } from './tracing';

export interface MessageContext {
  /** The transaction every side effect (and outbox row) must be written in. */
  manager: EntityManager;
  envelope: EventEnvelope;
  topic: string;
  partition: number;
  offset: string;
}

export type MessageHandler = (ctx: MessageContext) => Promise<void>;

export interface ReliableConsumerOptions {
  service: string;
  schema: string;
  groupId: string;
  /** Handler per subscribed topic. */
  handlers: Record<string, MessageHandler>;
  /** Attempts before a message is dead-lettered (default 5). */
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Partitions processed in parallel (ordering still holds within a partition). */
  concurrency?: number;
  /** Called after a transaction committed, e.g. to wake the outbox relay. */
  afterCommit?: () => void;
}

class ShutdownInProgress extends Error {
  constructor() {
    super('consumer is stopping; message left for redelivery');
    this.name = 'ShutdownInProgress';
  }
}

/**
 * A Kafka consumer that never stalls a partition and never repeats a side effect:
 * - each message is handled in one database transaction together with an inbox row (consumer, message id), so a
 *   redelivered message is recognised and skipped;
 * - a failing handler is retried with exponential backoff; a poison message (malformed, invalid payload, or still
 *   failing after the last attempt) goes to `dlq.<group>.v1` with its original key, value and headers plus the
 *   error, and the partition moves on;
 * - the offset is committed only after the effects (or the dead letter) are durable.
 */
export class ReliableConsumer {
  private readonly log = new Logger('ReliableConsumer');
  private consumer: Consumer | undefined;
  private stopping = false;
  private lagTimer: NodeJS.Timeout | undefined;
  readonly dlqTopic: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly topics: TopicAdmin,
    private readonly options: ReliableConsumerOptions,
  ) {
    this.dlqTopic = deadLetterTopic(options.groupId);
  }

  async start(): Promise<void> {
    const subscribed = Object.keys(this.options.handlers);
    await this.topics.ensure([...subscribed, this.dlqTopic]);
    const consumer = this.kafka.consumer({
      groupId: this.topics.physical(this.options.groupId),
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: subscribed.map((t) => this.topics.physical(t)), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: this.options.concurrency ?? 3,
      eachMessage: async (payload) => {
        const { topic, partition, message } = payload;
        const heartbeat = () => payload.heartbeat();
        await this.process(logicalName(this.topics.namespace, topic), partition, message, heartbeat);
      },
    });
    this.lagTimer = setInterval(() => void this.reportLag(), 10000);
    this.lagTimer.unref();
  }

  /** Stops fetching, lets in-flight messages finish, commits their offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async process(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const headers = headersToStrings(message.headers as Record<string, unknown> | undefined);
    const labels = { service: this.options.service, topic };
    const started = process.hrtime.bigint();
    await withConsumerSpan(topic, this.options.groupId, headers, async (span) => {
      span.setAttributes({ 'messaging.kafka.partition': partition, 'messaging.kafka.offset': message.offset });
      let envelope: EventEnvelope;
      try {
        envelope = decodeEnvelope(message.value);
      } catch (error) {
        await this.deadLetter(topic, partition, message, error, 1);
        return;
      }
      span.setAttributes({ 'messaging.message.id': envelope.id, 'poststelle.correlation_id': envelope.correlationId });
      const handler = this.options.handlers[topic];
      const maxAttempts = this.options.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt += 1) {
        try {
          const handled = await this.dataSource.transaction(async (manager) => {
            const fresh = await claimInbox(manager, this.options.schema, {
              consumer: this.options.groupId,
              messageId: envelope.id,
              topic,
              partition,
              offset: message.offset,
            });
            if (!fresh) return false;
            if (!handler) throw new NonRetriableError(MessagingErrorCode.UnknownEventType, `no handler for topic ${topic}`);
            await handler({ manager, envelope, topic, partition, offset: message.offset });
            return true;
          });
          this.options.afterCommit?.();
          metrics.consumed.inc({ ...labels, outcome: handled ? 'processed' : 'duplicate' });
          metrics.processing.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          if (!handled) this.log.debug('duplicate message skipped', { messageId: envelope.id, topic });
          return;
        } catch (error) {
          const poison = error instanceof NonRetriableError || error instanceof ContractValidationError;
          if (poison || attempt >= maxAttempts) {
            await this.deadLetter(topic, partition, message, error, attempt);
            return;
          }
          if (this.stopping) throw new ShutdownInProgress();
          metrics.retried.inc(labels);
          this.log.warn('handler failed; retrying', { ...describeError(error), messageId: envelope.id, topic, attempt });
          const backoff = Math.min(this.options.maxBackoffMs ?? 5000, (this.options.initialBackoffMs ?? 200) * 2 ** (attempt - 1));
          await new Promise((r) => setTimeout(r, backoff));
          await heartbeat();
        }
      }
    });
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const { error: reason, errorName } = describeError(error);
    const detail = error instanceof ContractValidationError ? JSON.stringify(error.errors) : reason;
    const headers: IHeaders = {
      ...(message.headers ?? {}),
      [MessageHeaders.dlqError]: detail.slice(0, 8000),
      [MessageHeaders.dlqErrorName]: errorName,
      [MessageHeaders.dlqAttempts]: String(attempts),
      [MessageHeaders.dlqSourceTopic]: topic,
      [MessageHeaders.dlqSourcePartition]: String(partition),
      [MessageHeaders.dlqSourceOffset]: message.offset,
      [MessageHeaders.dlqConsumerGroup]: this.options.groupId,
      [MessageHeaders.dlqFailedAt]: new Date().toISOString(),
    };
    // If the dead-letter topic is unavailable this throws, the offset is not committed and the message is retried:
    // a message is never dropped.
    await this.producer.send({
      topic: this.topics.physical(this.dlqTopic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    metrics.deadLettered.inc({ service: this.options.service, topic });
    this.log.error('message dead-lettered', {
      topic,
      partition,
      offset: message.offset,
      dlqTopic: this.dlqTopic,
      errorName,
      error: reason,
      attempts,
    });
  }

  private async reportLag(): Promise<void> {
    let admin: Admin | undefined;
    try {
      admin = await this.topics.client();
      const topics = Object.keys(this.options.handlers);
      const committed = await admin.fetchOffsets({
        groupId: this.topics.physical(this.options.groupId),
        topics: topics.map((t) => this.topics.physical(t)),
      });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const c = partitions.find((p) => p.partition === end.partition);
          const committedOffset = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
          metrics.consumerLag.set(
            { service: this.options.service, group: this.options.groupId, topic, partition: String(end.partition) },
            Math.max(0, Number(end.high) - committedOffset),
          );
        }
      }
    } catch {
      /* lag is best-effort; the next tick tries again */
    }
  }
}
