import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { type DataSource } from 'typeorm';
import { Logger } from '@poststelle/telemetry';
import { createKafka, type KafkaSettings } from './kafka';
import { OutboxRelay } from './outbox-relay';
import { ReliableConsumer, type ReliableConsumerOptions } from './reliable-consumer';
import { TopicAdmin } from './topic-admin';

export interface MessagingRuntimeOptions {
  service: string;
  schema: string;
  kafka: KafkaSettings;
  relay?: { batchSize?: number; idleMs?: number };
  consumer?: { maxAttempts?: number; initialBackoffMs?: number; maxBackoffMs?: number; concurrency?: number };
}

export type ConsumerSpec = Pick<ReliableConsumerOptions, 'groupId' | 'handlers' | 'topicPattern'>;

/**
 * Everything a service needs to talk to Kafka reliably: one idempotent producer, the outbox relay for its schema,
 * and its consumers. Framework-free; libs/platform wraps it in a Nest module.
 */
export class MessagingRuntime {
  private readonly log = new Logger('Messaging');
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly topics: TopicAdmin;
  readonly relay: OutboxRelay;
  private readonly consumers: ReliableConsumer[] = [];
  private started = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: MessagingRuntimeOptions,
  ) {
    this.kafka = createKafka(options.kafka);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.topics = new TopicAdmin(this.kafka, options.kafka.partitions, options.kafka.replicationFactor, options.kafka.namespace);
    this.relay = new OutboxRelay(dataSource, this.producer, this.topics, {
      service: options.service,
      schema: options.schema,
      ...options.relay,
    });
  }

  addConsumer(spec: ConsumerSpec): ReliableConsumer {
    const consumer = new ReliableConsumer(this.kafka, this.dataSource, this.producer, this.topics, {
      service: this.options.service,
      schema: this.options.schema,
      afterCommit: () => this.relay.nudge(),
      ...this.options.consumer,
      ...spec,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.producer.connect();
    this.relay.start();
    for (const consumer of this.consumers) await consumer.start();
    this.started = true;
    this.log.info('messaging started', { consumers: this.consumers.length });
  }

  /** Graceful: consumers finish in-flight messages, the relay publishes what is committed, then disconnect. */
  async stop(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    await this.producer.disconnect();
    await this.topics.close();
    this.started = false;
  }

  /** Readiness: the broker answers a metadata request. */
  async ping(timeoutMs = 2000): Promise<void> {
    const admin = await this.topics.client();
    await Promise.race([
      admin.describeCluster(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('Kafka did not answer in time')), timeoutMs).unref()),
    ]);
  }
}
