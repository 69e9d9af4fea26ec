import { SpanStatusCode } from '@opentelemetry/api';
import { type Producer } from 'kafkajs';
import { type DataSource, type EntityManager } from 'typeorm';
import { Logger, describeError, metrics } from '@poststelle/telemetry';
import { MessagingErrorCode } from './errors';
import { ParkedOutboxRepository, type OutboxRow } from './repair/parked-outbox.repository';
import { type TopicAdmin } from './topic-admin';
import { producerSpan } from './tracing';

export interface OutboxRelayOptions {
  service: string;
  schema: string;
  batchSize?: number;
  /** Poll interval when idle; `nudge()` wakes the relay at once after a commit. */
  idleMs?: number;
  /** An envelope (value plus headers) above this many bytes is parked, never sent (default 512 KiB). */
  maxMessageBytes?: number;
  /** Upper bound of one produce request's payload, so a batch never exceeds the topic's limit (default 768 KiB). */
  maxBatchBytes?: number;
  /** The relay counts as stuck once publishing has failed for this long (default 30 s). */
  stuckAfterMs?: number;
}

/** Kafka refuses these for the message itself: retrying the same bytes can never succeed. */
const MESSAGE_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'POLICY_VIOLATION',
]);

/** The Kafka error type when the broker refused the message itself (not an outage), else undefined. */
export function messageRefusal(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth += 1) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && MESSAGE_REFUSALS.has(type)) return type;
    e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

interface Prepared {
  row: OutboxRow;
  value: string;
  size: number;
}

export interface RelayStatus {
  /** Since when publishing fails (ISO time), with the last error; absent while publishing works. */
  failingSince?: string;
  lastError?: string;
  stuck: boolean;
}

/**
 * Publishes outbox rows in sequence order (at-least-once, ordered per key: one case's rows are written by one
 * transaction at a time). One relay per schema works at a time
 * (transaction-scoped advisory lock), so several instances of a service never reorder a key. A row is deleted only
 * after Kafka acknowledged it (acks=all); a crash in between republishes it and consumers deduplicate by message id.
 *
 * A row that can never be published (too large for the bound, refused by the broker for itself) is parked with its
 * reason instead of blocking the relay, and so is every later row of the same key (their order is kept); an
 * operator retries or resolves them (see `RepairService`). An outage (broker or database unreachable) parks
 * nothing: the relay backs off and retries without limit, and reports itself stuck.
 */
export class OutboxRelay {
  private readonly log = new Logger('OutboxRelay');
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pending = false;
  private backlogTimer: NodeJS.Timeout | undefined;
  private readonly lockKey: number;
  private readonly parked: ParkedOutboxRepository;
  private failingSince: number | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly topics: TopicAdmin,
    private readonly options: OutboxRelayOptions,
  ) {
    this.lockKey = [...`outbox:${options.schema}`].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7);
    this.parked = new ParkedOutboxRepository(options.schema);
  }

  get maxMessageBytes(): number {
    return this.options.maxMessageBytes ?? 512 * 1024;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    this.backlogTimer = setInterval(() => void this.reportBacklog(), 5000);
    this.backlogTimer.unref();
  }

  /** Called after a transaction that wrote outbox rows committed. */
  nudge(): void {
    this.pending = true;
    this.wake?.();
  }

  status(): RelayStatus {
    const stuck = this.failingSince !== undefined && Date.now() - this.failingSince >= (this.options.stuckAfterMs ?? 30000);
    return {
      ...(this.failingSince !== undefined ? { failingSince: new Date(this.failingSince).toISOString(), lastError: this.lastError } : {}),
      stuck,
    };
  }

  /** Stops after publishing what is committed (graceful drain). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.backlogTimer) clearInterval(this.backlogTimer);
    try {
      while ((await this.drainOnce()) > 0) {
        /* drain the remainder */
      }
    } catch (error) {
      this.log.warn('outbox drain on shutdown incomplete; rows stay for the next start', describeError(error));
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.pending = false;
      let published = 0;
      try {
        published = await this.drainOnce();
        failures = 0;
        this.failingSince = undefined;
        this.lastError = undefined;
      } catch (error) {
        failures += 1;
        this.failingSince ??= Date.now();
        this.lastError = describeError(error).error;
        metrics.outboxPublishFailures.inc({ service: this.options.service });
        this.log.warn('outbox publish failed; will retry', { ...describeError(error), failures });
        await this.sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
        continue;
      }
      if (published === 0 && !this.pending) await this.sleep(this.options.idleMs ?? 250);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Publishes one batch; returns how many rows were published or parked. */
  async drainOnce(): Promise<number> {
    const schema = this.options.schema;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<[{ locked: boolean }]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [this.lockKey]);
      if (!locked) return 0;
      const rows = await manager.query<OutboxRow[]>(
        `SELECT seq, message_id, topic, message_key, envelope, headers, created_at FROM "${schema}".outbox ORDER BY seq LIMIT $1`,
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) return 0;
      const blockedKeys = await this.parked.blockedKeys(
        manager,
        rows.map((r) => r.message_key),
      );
      const sendable: Prepared[] = [];
      for (const row of rows) {
        const behind = blockedKeys.get(row.message_key);
        if (behind !== undefined) {
          await this.park(
            manager,
            row,
            behind,
            MessagingErrorCode.HeldBehindParkedRow,
            `held behind parked outbox row ${behind} of the same key`,
          );
          continue;
        }
        const value = JSON.stringify(row.envelope);
        const size = Buffer.byteLength(value) + Buffer.byteLength(JSON.stringify(row.headers));
        if (size > this.maxMessageBytes) {
          await this.park(
            manager,
            row,
            undefined,
            MessagingErrorCode.MessageTooLarge,
            `the envelope has ${size} bytes, above the bound of ${this.maxMessageBytes} bytes (MESSAGE_MAX_BYTES)`,
          );
          blockedKeys.set(row.message_key, row.seq);
          continue;
        }
        sendable.push({ row, value, size });
      }
      await this.topics.ensure(sendable.map((p) => p.row.topic));
      let i = 0;
      while (i < sendable.length) {
        const chunk: Prepared[] = [];
        let bytes = 0;
        while (i < sendable.length && (chunk.length === 0 || bytes + sendable[i]!.size <= (this.options.maxBatchBytes ?? 768 * 1024))) {
          bytes += sendable[i]!.size;
          chunk.push(sendable[i]!);
          i += 1;
        }
        try {
          await this.send(chunk);
        } catch (error) {
          if (!messageRefusal(error)) throw error;
          // The broker refused something in the chunk for itself: find which row, one at a time.
          await this.sendOneByOne(manager, chunk, blockedKeys);
        }
      }
      await manager.query(`DELETE FROM "${schema}".outbox WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }

  private async sendOneByOne(manager: EntityManager, chunk: Prepared[], blockedKeys: Map<string, string>): Promise<void> {
    for (const prepared of chunk) {
      const behind = blockedKeys.get(prepared.row.message_key);
      if (behind !== undefined) {
        await this.park(
          manager,
          prepared.row,
          behind,
          MessagingErrorCode.HeldBehindParkedRow,
          `held behind parked outbox row ${behind} of the same key`,
        );
        continue;
      }
      try {
        await this.send([prepared]);
      } catch (error) {
        const refusal = messageRefusal(error);
        if (!refusal) throw error;
        await this.park(
          manager,
          prepared.row,
          undefined,
          MessagingErrorCode.RefusedByBroker,
          `Kafka refused the message: ${refusal} (${describeError(error).error})`,
        );
        blockedKeys.set(prepared.row.message_key, prepared.row.seq);
      }
    }
  }

  private async send(chunk: Prepared[]): Promise<void> {
    const spans = chunk.map(({ row }) => producerSpan(row.topic, row.headers));
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    chunk.forEach(({ row, value }, i) => {
      const topic = this.topics.physical(row.topic);
      const list = byTopic.get(topic) ?? [];
      list.push({ key: row.message_key, value, headers: spans[i]!.headers });
      byTopic.set(topic, list);
    });
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (error) {
      spans.forEach(({ span }) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        span.end();
      });
      throw error;
    }
    spans.forEach(({ span }) => span.end());
    chunk.forEach(({ row }) => metrics.produced.inc({ service: this.options.service, topic: row.topic }));
  }

  private async park(
    manager: EntityManager,
    row: OutboxRow,
    heldBehind: string | undefined,
    code: MessagingErrorCode,
    reason: string,
  ): Promise<void> {
    await this.parked.park(manager, row, { code, reason, heldBehind });
    metrics.outboxParkedTotal.inc({ service: this.options.service, reason: code });
    this.log.error('outbox row parked: it is not published until an operator retries or resolves it', {
      seq: row.seq,
      messageId: row.message_id,
      topic: row.topic,
      reasonCode: code,
      reason,
    });
  }

  /** Outbox rows not yet published (parked ones included) and the age of the oldest, in seconds (0 when empty). */
  async backlog(): Promise<{ rows: number; oldestAgeSeconds: number }> {
    const [{ n, oldest }] = await this.dataSource.query<[{ n: number; oldest: number | null }]>(
      `SELECT count(*)::int AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float AS oldest FROM "${this.options.schema}".outbox`,
    );
    return { rows: n, oldestAgeSeconds: oldest ?? 0 };
  }

  private async reportBacklog(): Promise<void> {
    try {
      const { rows, oldestAgeSeconds } = await this.backlog();
      metrics.outboxBacklog.set({ service: this.options.service }, rows);
      metrics.outboxOldestAge.set({ service: this.options.service }, oldestAgeSeconds);
      metrics.outboxParked.set({ service: this.options.service }, await this.parked.countParked(this.dataSource.manager));
    } catch {
      /* the next tick reports again */
    }
  }
}
