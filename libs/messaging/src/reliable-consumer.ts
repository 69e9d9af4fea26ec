import { randomUUID } from 'node:crypto';
import { type Admin, type Consumer, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { type DataSource, type EntityManager } from 'typeorm';
import { ContractValidationError, MessageHeaders, deadLetterTopic, type EventEnvelope } from '@poststelle/contracts';
import { Logger, describeError, metrics } from '@poststelle/telemetry';
import { decodeEnvelope, headersToStrings } from './envelope-codec';
import { logicalName } from './kafka';
import { MessagingErrorCode, NonRetriableError } from './errors';
import { claimInbox } from './inbox';
import { infrastructureOutage, type InfrastructureKind } from './infrastructure-errors';
import { DeadLetterRepository } from './repair/dead-letter.repository';
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

/**
 * Subscribes to every topic whose logical name matches `pattern` (e.g. one topic per procedure). Kafka clients resolve
 * a pattern subscription to the topics that exist when they subscribe (kafkajs once, at `subscribe`), so the consumer
 * looks for new matching topics every `rescanMs` and whenever `refreshSubscription()` is called, and re-joins its
 * group with them.
 */
export interface TopicPatternSubscription {
  /** Matched against logical names (without the `KAFKA_NAMESPACE` prefix); anchor it. */
  pattern: RegExp;
  handler: MessageHandler;
  /** How often to look for new matching topics (default 30 s). */
  rescanMs?: number;
}

export interface ReliableConsumerOptions {
  service: string;
  schema: string;
  groupId: string;
  /** Handler per subscribed topic. */
  handlers: Record<string, MessageHandler>;
  /** Topics subscribed by name pattern, in the same group; a topic in `handlers` takes precedence. */
  topicPattern?: TopicPatternSubscription;
  /** Attempts before a message is dead-lettered (default 5). Outages of the database or broker do not count. */
  maxAttempts?: number;
  /** Longest wait between two tries while the database or broker is unreachable (default 10 s). */
  maxOutageBackoffMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Partitions processed in parallel (ordering still holds within a partition). */
  concurrency?: number;
  /** Called after a transaction committed, e.g. to wake the outbox relay. */
  afterCommit?: () => void;
}

export interface ConsumerStatus {
  groupId: string;
  /** Started and not crashed (kafkajs restarts a consumer after a retriable crash). */
  running: boolean;
  /** Set while the consumer waits for its database or broker: since when, and why. */
  paused?: { since: string; cause: InfrastructureKind; error: string };
  /** Set when the consumer crashed and kafkajs does not restart it. */
  crashed?: { at: string; error: string };
  /** Messages behind the partition ends, summed per topic, as last measured (every 10 s); absent before the first. */
  lag?: { total: number; byTopic: Record<string, number>; measuredAt: string };
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
 *   error, is recorded in `<schema>.dead_letters` for inspection and replay, and the partition moves on;
 * - an outage of the database or broker is not the message's fault: the consumer pauses (keeps its partitions,
 *   heartbeats) and retries without limit with backoff, visible in metrics and `/health`;
 * - the offset is committed only after the effects (or the dead letter) are durable.
 */
export class ReliableConsumer {
  private readonly log = new Logger('ReliableConsumer');
  private consumer: Consumer | undefined;
  private started = false;
  private stopping = false;
  private lagTimer: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  /** Logical topics the running consumer is subscribed to. */
  private subscribed: string[] = [];
  /** Settles once the running consumer has joined its group (or crashed); see `refreshSubscription`. */
  private joined: Promise<void> = Promise.resolve();
  /** Serialises subscription changes (and the final stop) so two never interleave. */
  private subscriptionChange: Promise<unknown> = Promise.resolve();
  readonly dlqTopic: string;
  private readonly deadLetters: DeadLetterRepository;
  private paused: ConsumerStatus['paused'];
  private crashed: ConsumerStatus['crashed'];
  private lag: ConsumerStatus['lag'];

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly topics: TopicAdmin,
    private readonly options: ReliableConsumerOptions,
  ) {
    this.dlqTopic = deadLetterTopic(options.groupId);
    this.deadLetters = new DeadLetterRepository(options.schema);
  }

  status(): ConsumerStatus {
    return {
      groupId: this.options.groupId,
      running: this.started && !this.stopping && !this.crashed,
      ...(this.paused ? { paused: this.paused } : {}),
      ...(this.crashed ? { crashed: this.crashed } : {}),
      ...(this.lag ? { lag: this.lag } : {}),
    };
  }

  async start(): Promise<void> {
    await this.topics.ensure([...Object.keys(this.options.handlers), this.dlqTopic]);
    await this.subscribe(await this.wantedTopics());
    this.started = true;
    metrics.consumerRunning.set({ service: this.options.service, group: this.options.groupId }, 1);
    this.lagTimer = setInterval(() => void this.reportLag(), 10000);
    this.lagTimer.unref();
    const pattern = this.options.topicPattern;
    if (pattern) {
      this.rescanTimer = setInterval(
        () =>
          void this.refreshSubscription().catch((error: unknown) =>
            this.log.warn('looking for new topics failed; next scan tries again', {
              ...describeError(error),
              groupId: this.options.groupId,
            }),
          ),
        pattern.rescanMs ?? 30000,
      );
      this.rescanTimer.unref();
    }
  }

  /**
   * Re-joins the group if topics matching `topicPattern` were created (or deleted) since the last look. Returns
   * whether the subscription changed. Safe to call at any time; before `start()` and after `stop()` it does nothing.
   */
  refreshSubscription(): Promise<boolean> {
    const change = this.subscriptionChange.then(async () => {
      if (!this.started || this.stopping || !this.options.topicPattern) return false;
      const wanted = await this.wantedTopics();
      if (wanted.length === this.subscribed.length && wanted.every((t) => this.subscribed.includes(t))) return false;
      const added = wanted.filter((t) => !this.subscribed.includes(t));
      // kafkajs leaves the group on disconnect only once it has joined: a consumer stopped mid-join would carry on
      // joining on its own and keep partitions from its successor.
      await this.joined;
      await this.consumer?.disconnect();
      this.consumer = undefined;
      await this.subscribe(wanted);
      this.log.info('subscription changed; consumer re-joined its group', { groupId: this.options.groupId, added });
      return true;
    });
    this.subscriptionChange = change.catch(() => undefined);
    return change;
  }

  /** The logical topics to subscribe: the named ones and the existing topics matching the pattern, sorted. */
  private async wantedTopics(): Promise<string[]> {
    const named = Object.keys(this.options.handlers);
    const pattern = this.options.topicPattern?.pattern;
    if (!pattern) return named;
    const admin = await this.topics.client();
    const matching = (await admin.listTopics())
      .map((physical) => ({ physical, logical: logicalName(this.topics.namespace, physical) }))
      // Only this namespace's topics: without a prefix, logicalName returns a foreign name unchanged.
      .filter(({ physical, logical }) => this.topics.physical(logical) === physical && pattern.test(logical))
      .map(({ logical }) => logical);
    return [...new Set([...named, ...matching])].sort();
  }

  /** Starts a kafkajs consumer on exactly these topics (none yet: no consumer until a rescan finds one). */
  private async subscribe(logicalTopics: string[]): Promise<void> {
    this.subscribed = logicalTopics;
    if (logicalTopics.length === 0) return;
    try {
      await this.run(logicalTopics);
    } catch (error) {
      // Forget the topics so that the next rescan (or refresh) tries again instead of seeing nothing to change.
      this.subscribed = [];
      await this.consumer?.disconnect().catch(() => undefined);
      this.consumer = undefined;
      this.joined = Promise.resolve();
      throw error;
    }
  }

  /** Creates the kafkajs consumer, joins the group and starts fetching. */
  private async run(logicalTopics: string[]): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.topics.physical(this.options.groupId),
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    this.joined = new Promise<void>((resolve) => {
      const done = () => {
        offJoin();
        offCrash();
        clearTimeout(timer);
        // The runner marks itself running just after the join event: let it get there first.
        setImmediate(resolve);
      };
      const offJoin = consumer.on(consumer.events.GROUP_JOIN, done);
      const offCrash = consumer.on(consumer.events.CRASH, done);
      consumer.on(consumer.events.GROUP_JOIN, () => {
        this.crashed = undefined;
        metrics.consumerRunning.set({ service: this.options.service, group: this.options.groupId }, 1);
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        this.crashed = { at: new Date().toISOString(), error: describeError(payload.error).error };
        metrics.consumerRunning.set({ service: this.options.service, group: this.options.groupId }, 0);
        this.log.error('consumer crashed and is not restarted', { groupId: this.options.groupId, error: this.crashed.error });
      });
      const timer = setTimeout(done, 60000);
      timer.unref();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: logicalTopics.map((t) => this.topics.physical(t)), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: this.options.concurrency ?? 3,
      eachMessage: async (payload) => {
        const { topic, partition, message } = payload;
        const heartbeat = () => payload.heartbeat();
        await this.process(logicalName(this.topics.namespace, topic), partition, message, heartbeat);
      },
    });
  }

  /** Stops fetching, lets in-flight messages finish, commits their offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    if (this.rescanTimer) clearInterval(this.rescanTimer);
    await this.subscriptionChange;
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.started = false;
    metrics.consumerRunning.set({ service: this.options.service, group: this.options.groupId }, 0);
  }

  private handlerFor(topic: string): MessageHandler | undefined {
    const named = this.options.handlers[topic];
    if (named) return named;
    const pattern = this.options.topicPattern;
    return pattern?.pattern.test(topic) ? pattern.handler : undefined;
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
        await this.deadLetter(topic, partition, message, error, 1, heartbeat);
        return;
      }
      span.setAttributes({ 'messaging.message.id': envelope.id, 'poststelle.correlation_id': envelope.correlationId });
      const handler = this.handlerFor(topic);
      const maxAttempts = this.options.maxAttempts ?? 5;
      let outages = 0;
      for (let attempt = 1; ; ) {
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
          this.resume();
          this.options.afterCommit?.();
          metrics.consumed.inc({ ...labels, outcome: handled ? 'processed' : 'duplicate' });
          metrics.processing.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          if (!handled) this.log.debug('duplicate message skipped', { messageId: envelope.id, topic });
          return;
        } catch (error) {
          const poison = error instanceof NonRetriableError || error instanceof ContractValidationError;
          const outage = poison ? undefined : infrastructureOutage(error);
          if (outage) {
            outages += 1;
            await this.waitOutOutage(outage, error, outages, heartbeat);
            continue;
          }
          if (poison || attempt >= maxAttempts) {
            await this.deadLetter(topic, partition, message, error, attempt, heartbeat);
            return;
          }
          if (this.stopping) throw new ShutdownInProgress();
          metrics.retried.inc(labels);
          this.log.warn('handler failed; retrying', { ...describeError(error), messageId: envelope.id, topic, attempt });
          const backoff = Math.min(this.options.maxBackoffMs ?? 5000, (this.options.initialBackoffMs ?? 200) * 2 ** (attempt - 1));
          await new Promise((r) => setTimeout(r, backoff));
          await heartbeat();
          attempt += 1;
        }
      }
    });
  }

  /**
   * The database or broker is unreachable: wait (with backoff, heartbeating so the group keeps this member and its
   * partitions) and let the caller try again, for as long as it takes. Only a shutdown ends the wait; the message
   * is then redelivered after the restart.
   */
  private async waitOutOutage(cause: InfrastructureKind, error: unknown, outages: number, heartbeat: () => Promise<void>): Promise<void> {
    if (this.stopping) throw new ShutdownInProgress();
    const reason = describeError(error).error;
    if (!this.paused) {
      this.paused = { since: new Date().toISOString(), cause, error: reason };
      metrics.consumerPaused.set({ service: this.options.service, group: this.options.groupId }, 1);
      this.log.warn('infrastructure unreachable: consumer paused, retrying without limit', {
        groupId: this.options.groupId,
        cause,
        error: reason,
      });
    } else {
      this.paused = { ...this.paused, cause, error: reason };
    }
    metrics.consumerOutageRetries.inc({ service: this.options.service, group: this.options.groupId, cause });
    const backoff = Math.min(
      this.options.maxOutageBackoffMs ?? 10000,
      (this.options.initialBackoffMs ?? 200) * 2 ** Math.min(outages - 1, 10),
    );
    await new Promise((r) => setTimeout(r, backoff));
    if (this.stopping) throw new ShutdownInProgress();
    // With the broker gone the heartbeat fails too; that is the same outage, so keep waiting.
    await heartbeat().catch((e: unknown) => {
      if (!infrastructureOutage(e)) throw e;
    });
  }

  private resume(): void {
    if (!this.paused) return;
    this.log.info('infrastructure reachable again: consumer resumed', { groupId: this.options.groupId, pausedSince: this.paused.since });
    this.paused = undefined;
    metrics.consumerPaused.set({ service: this.options.service, group: this.options.groupId }, 0);
  }

  /** Dead-letters the message; an outage while doing so is waited out like any other (a message is never dropped). */
  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    attempts: number,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    for (let outages = 1; ; outages += 1) {
      try {
        await this.sendDeadLetter(topic, partition, message, error, attempts);
        this.resume();
        return;
      } catch (failure) {
        const outage = infrastructureOutage(failure);
        if (!outage) throw failure;
        await this.waitOutOutage(outage, failure, outages, heartbeat);
      }
    }
  }

  private async sendDeadLetter(topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const { error: reason, errorName } = describeError(error);
    const detail = error instanceof ContractValidationError ? JSON.stringify(error.errors) : reason;
    const code =
      error instanceof NonRetriableError
        ? error.code
        : error instanceof ContractValidationError
          ? MessagingErrorCode.InvalidPayload
          : MessagingErrorCode.HandlerFailed;
    const original = headersToStrings(message.headers as Record<string, unknown> | undefined);
    const generation = Number(original[MessageHeaders.replayGeneration] ?? '0') || 0;
    const id = randomUUID();
    const headers: IHeaders = {
      ...(message.headers ?? {}),
      [MessageHeaders.dlqError]: detail.slice(0, 8000),
      [MessageHeaders.dlqErrorName]: errorName,
      [MessageHeaders.dlqErrorCode]: code,
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
    let messageId: string | undefined;
    let eventType: string | undefined;
    try {
      const parsed = JSON.parse(message.value?.toString('utf8') ?? '') as { id?: unknown; type?: unknown };
      if (typeof parsed.id === 'string') messageId = parsed.id.slice(0, 200);
      if (typeof parsed.type === 'string') eventType = parsed.type.slice(0, 200);
    } catch {
      /* not JSON: no id or type to record */
    }
    await this.deadLetters.record(this.dataSource.manager, {
      id,
      consumerGroup: this.options.groupId,
      sourceTopic: topic,
      sourcePartition: partition,
      sourceOffset: message.offset,
      key: message.key,
      value: message.value,
      headers: original,
      messageId,
      eventType,
      errorCode: code,
      error: detail.slice(0, 8000),
      attempts,
      replayGeneration: generation,
    });
    metrics.deadLettered.inc({ service: this.options.service, topic });
    this.log.error('message dead-lettered', {
      topic,
      partition,
      offset: message.offset,
      dlqTopic: this.dlqTopic,
      deadLetterId: id,
      errorCode: code,
      errorName,
      error: reason,
      attempts,
    });
  }

  private async reportLag(): Promise<void> {
    let admin: Admin | undefined;
    try {
      admin = await this.topics.client();
      const topics = this.subscribed;
      if (topics.length === 0) return;
      const committed = await admin.fetchOffsets({
        groupId: this.topics.physical(this.options.groupId),
        topics: topics.map((t) => this.topics.physical(t)),
      });
      const byTopic: Record<string, number> = {};
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const c = partitions.find((p) => p.partition === end.partition);
          const committedOffset = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
          const behind = Math.max(0, Number(end.high) - committedOffset);
          metrics.consumerLag.set(
            { service: this.options.service, group: this.options.groupId, topic, partition: String(end.partition) },
            behind,
          );
          byTopic[topic] = (byTopic[topic] ?? 0) + behind;
        }
      }
      const total = Object.values(byTopic).reduce((a, b) => a + b, 0);
      this.lag = { total, byTopic, measuredAt: new Date().toISOString() };
    } catch {
      /* lag is best-effort; the next tick tries again */
    }
  }
}
