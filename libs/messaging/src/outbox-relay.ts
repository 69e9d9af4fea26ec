import { SpanStatusCode } from '@opentelemetry/api';
import { type Producer } from 'kafkajs';
import { type DataSource } from 'typeorm';
import { Logger, describeError, metrics } from '@poststelle/telemetry';
import { type TopicAdmin } from './topic-admin';
import { producerSpan } from './tracing';

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  envelope: unknown;
  headers: Record<string, string>;
}

export interface OutboxRelayOptions {
  service: string;
  schema: string;
  batchSize?: number;
  /** Poll interval when idle; `nudge()` wakes the relay at once after a commit. */
  idleMs?: number;
}

/**
 * Publishes outbox rows in sequence order (at-least-once, ordered per key: one case's rows are written by one
 * transaction at a time). One relay per schema works at a time
 * (transaction-scoped advisory lock), so several instances of a service never reorder a key. A row is deleted only
 * after Kafka acknowledged it (acks=all); a crash in between republishes it and consumers deduplicate by message id.
 */
export class OutboxRelay {
  private readonly log = new Logger('OutboxRelay');
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pending = false;
  private backlogTimer: NodeJS.Timeout | undefined;
  private readonly lockKey: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly topics: TopicAdmin,
    private readonly options: OutboxRelayOptions,
  ) {
    this.lockKey = [...`outbox:${options.schema}`].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7);
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
      } catch (error) {
        failures += 1;
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

  /** Publishes one batch; returns how many rows were published. */
  async drainOnce(): Promise<number> {
    const schema = this.options.schema;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<[{ locked: boolean }]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [this.lockKey]);
      if (!locked) return 0;
      const rows = await manager.query<OutboxRow[]>(
        `SELECT seq, topic, message_key, envelope, headers FROM "${schema}".outbox ORDER BY seq LIMIT $1`,
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) return 0;
      await this.topics.ensure(rows.map((r) => r.topic));
      const spans = rows.map((row) => producerSpan(row.topic, row.headers));
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      rows.forEach((row, i) => {
        const list = byTopic.get(this.topics.physical(row.topic)) ?? [];
        list.push({ key: row.message_key, value: JSON.stringify(row.envelope), headers: spans[i]!.headers });
        byTopic.set(this.topics.physical(row.topic), list);
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
      rows.forEach((row) => metrics.produced.inc({ service: this.options.service, topic: row.topic }));
      await manager.query(`DELETE FROM "${schema}".outbox WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }

  private async reportBacklog(): Promise<void> {
    try {
      const [{ n }] = await this.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM "${this.options.schema}".outbox`);
      metrics.outboxBacklog.set({ service: this.options.service }, n);
    } catch {
      /* the next tick reports again */
    }
  }
}
