import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { type DataSource } from 'typeorm';
import { Logger, describeError, metrics } from '@poststelle/telemetry';
import { infrastructureOutage } from './infrastructure-errors';
import { createKafka, type KafkaSettings } from './kafka';
import { OutboxRelay, type RelayStatus } from './outbox-relay';
import { DEFAULT_MESSAGE_MAX_BYTES, setMessageMaxBytes } from './outbox';
import { ReliableConsumer, type ConsumerStatus, type ReliableConsumerOptions } from './reliable-consumer';
import { RepairService } from './repair/repair.service';
import { TopicAdmin } from './topic-admin';

export interface MessagingRuntimeOptions {
  service: string;
  schema: string;
  kafka: KafkaSettings;
  relay?: { batchSize?: number; idleMs?: number; stuckAfterMs?: number };
  consumer?: { maxAttempts?: number; initialBackoffMs?: number; maxBackoffMs?: number; maxOutageBackoffMs?: number; concurrency?: number };
  /** Bound of one envelope (value plus headers) in bytes; keep it well under the topics' `max.message.bytes`. */
  messageMaxBytes?: number;
  /** How often a dead letter may be replayed and fail again before replays are refused (default 3). */
  maxReplays?: number;
}

export type ConsumerSpec = Pick<ReliableConsumerOptions, 'groupId' | 'handlers' | 'topicPattern'>;

export interface MessagingProblem {
  /** Stable code: consumer-stopped, consumer-paused, relay-stuck, outbox-parked, dead-letters-open. */
  code: string;
  detail: string;
}

export interface MessagingHealth {
  consumers: ConsumerStatus[];
  relay: RelayStatus;
  parkedOutboxRows: number;
  openDeadLetters: number;
  /** Outbox rows not yet published and the oldest one's age; -1 when the database does not answer. */
  outboxBacklog: { rows: number; oldestAgeSeconds: number };
  /** Messages behind, summed over every consumer group, as last measured (null before the first measurement). */
  consumerLag: number | null;
  problems: MessagingProblem[];
}

/**
 * Everything a service needs to talk to Kafka reliably: one idempotent producer, the outbox relay for its schema,
 * its consumers and the repair service (dead letters, parked rows). Framework-free; libs/platform wraps it in a
 * Nest module.
 */
export class MessagingRuntime {
  private readonly log = new Logger('Messaging');
  readonly kafka: Kafka;
  /** Single-message sends (dead letters, replays): idempotent, retried by kafkajs. */
  readonly producer: Producer;
  /** The outbox relay's batches; see the constructor. */
  private readonly relayProducer: Producer;
  readonly topics: TopicAdmin;
  readonly relay: OutboxRelay;
  readonly repair: RepairService;
  private readonly consumers: ReliableConsumer[] = [];
  private started = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: MessagingRuntimeOptions,
  ) {
    const messageMaxBytes = options.messageMaxBytes ?? DEFAULT_MESSAGE_MAX_BYTES;
    const topicMaxMessageBytes = options.kafka.topicMaxMessageBytes ?? 1024 * 1024;
    if (messageMaxBytes > topicMaxMessageBytes / 2) {
      throw new Error(
        `MESSAGE_MAX_BYTES (${messageMaxBytes}) must be at most half of KAFKA_TOPIC_MAX_MESSAGE_BYTES (${topicMaxMessageBytes})`,
      );
    }
    setMessageMaxBytes(messageMaxBytes);
    this.kafka = createKafka(options.kafka);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    // kafkajs keeps the responses of brokers that already answered when it retries a batch internally; if a killed
    // broker's partitions moved to one of them, their messages are never sent, yet the batch "succeeds" (kafkajs
    // issue 1303, seen in test/e2e/faults/broker-loss). So the relay's producer does not retry inside kafkajs: a
    // failed batch fails as a whole, stays in the outbox and is sent again (at-least-once; consumers deduplicate by
    // message id). One request in flight keeps each key's order.
    this.relayProducer = this.kafka.producer({
      idempotent: false,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.topics = new TopicAdmin(
      this.kafka,
      {
        partitions: options.kafka.partitions,
        replicationFactor: options.kafka.replicationFactor,
        maxMessageBytes: topicMaxMessageBytes,
        ...(options.kafka.minInsyncReplicas !== undefined ? { minInsyncReplicas: options.kafka.minInsyncReplicas } : {}),
      },
      options.kafka.namespace,
    );
    this.relay = new OutboxRelay(dataSource, this.relayProducer, this.topics, {
      service: options.service,
      schema: options.schema,
      maxMessageBytes: messageMaxBytes,
      // A produce request carries several envelopes; stay under the topic limit with room for batch overhead.
      maxBatchBytes: Math.floor(topicMaxMessageBytes * 0.75),
      ...options.relay,
    });
    this.repair = new RepairService(dataSource, this.producer, this.topics, {
      service: options.service,
      schema: options.schema,
      ...(options.maxReplays !== undefined ? { maxReplays: options.maxReplays } : {}),
      afterRequeue: () => this.relay.nudge(),
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
    await this.whenKafkaReady('connecting the producer', () => this.producer.connect());
    await this.whenKafkaReady('connecting the relay producer', () => this.relayProducer.connect());
    this.relay.start();
    for (const consumer of this.consumers)
      await this.whenKafkaReady(`starting consumer ${consumer.status().groupId}`, () => consumer.start());
    this.started = true;
    this.log.info('messaging started', { consumers: this.consumers.length });
  }

  /**
   * A broker that is starting, electing leaders or has just created a topic answers with retriable errors for a while
   * (e.g. UNKNOWN_TOPIC_OR_PARTITION right after creation); start-up waits that out for up to a minute instead of
   * exiting. Anything else, or a broker still not ready after that, fails the start.
   */
  private async whenKafkaReady(what: string, step: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + 60000;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await step();
        return;
      } catch (error) {
        if (infrastructureOutage(error) !== 'kafka' || Date.now() > deadline) throw error;
        this.log.warn(`${what}: Kafka not ready yet, trying again`, { ...describeError(error), attempt });
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  }

  /** Graceful: consumers finish in-flight messages, the relay publishes what is committed, then disconnect. */
  async stop(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    await this.relayProducer.disconnect();
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

  /**
   * What is stuck, in words: stopped or paused consumers, a relay that cannot publish, parked outbox rows and open
   * dead letters. The counts need the database; when it is down they are reported as -1 (the database check says so).
   */
  async health(): Promise<MessagingHealth> {
    const count = async (fn: () => Promise<number>) => {
      try {
        return await fn();
      } catch {
        return -1;
      }
    };
    const [parkedOutboxRows, openDeadLetters, outboxBacklog] = await Promise.all([
      count(() => this.repair.countParked()),
      count(() => this.repair.countOpenDeadLetters()),
      this.relay.backlog().catch(() => ({ rows: -1, oldestAgeSeconds: -1 })),
    ]);
    metrics.outboxParked.set({ service: this.options.service }, Math.max(0, parkedOutboxRows));
    metrics.deadLettersOpen.set({ service: this.options.service }, Math.max(0, openDeadLetters));
    const consumers = this.consumers.map((c) => c.status());
    const relay = this.relay.status();
    const problems: MessagingProblem[] = [];
    for (const c of consumers) {
      if (this.started && !c.running) {
        problems.push({
          code: 'consumer-stopped',
          detail: `consumer group ${c.groupId} is not running${c.crashed ? `: ${c.crashed.error}` : ''}`,
        });
      }
      if (c.paused) {
        problems.push({
          code: 'consumer-paused',
          detail: `consumer group ${c.groupId} waits for the ${c.paused.cause} since ${c.paused.since}: ${c.paused.error}`,
        });
      }
    }
    if (relay.stuck)
      problems.push({ code: 'relay-stuck', detail: `the outbox relay cannot publish since ${relay.failingSince}: ${relay.lastError}` });
    if (parkedOutboxRows > 0) {
      problems.push({ code: 'outbox-parked', detail: `${parkedOutboxRows} outbox row(s) parked, see GET /v1/ops/outbox/parked` });
    }
    if (openDeadLetters > 0) {
      problems.push({ code: 'dead-letters-open', detail: `${openDeadLetters} dead letter(s) open, see GET /v1/ops/dead-letters` });
    }
    const measured = consumers.filter((c) => c.lag !== undefined);
    const consumerLag = measured.length > 0 ? measured.reduce((sum, c) => sum + (c.lag?.total ?? 0), 0) : null;
    return { consumers, relay, parkedOutboxRows, openDeadLetters, outboxBacklog, consumerLag, problems };
  }
}
