import { type EntityManager } from 'typeorm';

export type DeadLetterState = 'open' | 'replayed' | 'discarded';

export interface NewDeadLetter {
  id: string;
  consumerGroup: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  messageId: string | undefined;
  eventType: string | undefined;
  errorCode: string;
  error: string;
  attempts: number;
  replayGeneration: number;
}

export interface DeadLetter {
  id: string;
  consumerGroup: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  key: string | undefined;
  messageId: string | undefined;
  eventType: string | undefined;
  errorCode: string;
  error: string;
  attempts: number;
  replayGeneration: number;
  failedAt: string;
  state: DeadLetterState;
  resolvedAt: string | undefined;
  resolvedBy: string | undefined;
  resolution: string | undefined;
}

export interface DeadLetterDetail extends DeadLetter {
  /** The original headers as the consumer received them. */
  headers: Record<string, string>;
  /** The original value: parsed JSON when it is JSON, else the UTF-8 text, else base64. */
  payload: unknown;
  payloadEncoding: 'json' | 'text' | 'base64';
  value: Buffer | null;
}

export interface DeadLetterFilter {
  state?: DeadLetterState;
  topic?: string;
  type?: string;
  /** Substring of the error message or its code, case-insensitive. */
  error?: string;
  since?: string;
  until?: string;
  limit?: number;
}

interface Record_ {
  id: string;
  consumer_group: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  message_key: string | null;
  message_id: string | null;
  event_type: string | null;
  error_code: string;
  error: string;
  attempts: number;
  replay_generation: number;
  failed_at: Date;
  state: DeadLetterState;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
}

const COLUMNS = `id, consumer_group, source_topic, source_partition, source_offset::text AS source_offset, message_key, message_id,
  event_type, error_code, error, attempts, replay_generation, failed_at, state, resolved_at, resolved_by, resolution`;

function toDeadLetter(r: Record_): DeadLetter {
  return {
    id: r.id,
    consumerGroup: r.consumer_group,
    sourceTopic: r.source_topic,
    sourcePartition: r.source_partition,
    sourceOffset: r.source_offset,
    key: r.message_key ?? undefined,
    messageId: r.message_id ?? undefined,
    eventType: r.event_type ?? undefined,
    errorCode: r.error_code,
    error: r.error,
    attempts: r.attempts,
    replayGeneration: r.replay_generation,
    failedAt: new Date(r.failed_at).toISOString(),
    state: r.state,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : undefined,
    resolvedBy: r.resolved_by ?? undefined,
    resolution: r.resolution ?? undefined,
  };
}

function decodePayload(value: Buffer | null): Pick<DeadLetterDetail, 'payload' | 'payloadEncoding'> {
  if (!value) return { payload: null, payloadEncoding: 'json' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(value);
  if (Buffer.from(text, 'utf8').equals(value)) {
    try {
      return { payload: JSON.parse(text) as unknown, payloadEncoding: 'json' };
    } catch {
      return { payload: text, payloadEncoding: 'text' };
    }
  }
  return { payload: value.toString('base64'), payloadEncoding: 'base64' };
}

/** All SQL of dead letters (`<schema>.dead_letters`). */
export class DeadLetterRepository {
  constructor(private readonly schema: string) {}

  private get table(): string {
    return `"${this.schema}".dead_letters`;
  }

  /** Records a dead letter once (a redelivered poison message does not make a second record). */
  async record(manager: EntityManager, d: NewDeadLetter): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table} (id, consumer_group, source_topic, source_partition, source_offset, message_key, message_value, headers,
         message_id, event_type, error_code, error, attempts, replay_generation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (consumer_group, source_topic, source_partition, source_offset) DO NOTHING`,
      [
        d.id,
        d.consumerGroup,
        d.sourceTopic,
        d.sourcePartition,
        d.sourceOffset,
        d.key ? d.key.toString('utf8') : null,
        d.value,
        JSON.stringify(d.headers),
        d.messageId ?? null,
        d.eventType ?? null,
        d.errorCode,
        d.error,
        d.attempts,
        d.replayGeneration,
      ],
    );
  }

  async list(manager: EntityManager, f: DeadLetterFilter): Promise<DeadLetter[]> {
    const rows = await manager.query<Record_[]>(
      `SELECT ${COLUMNS} FROM ${this.table}
       WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR source_topic = $2) AND ($3::text IS NULL OR event_type = $3)
         AND ($4::text IS NULL OR error ILIKE '%' || $4 || '%' OR error_code ILIKE '%' || $4 || '%')
         AND ($5::timestamptz IS NULL OR failed_at >= $5) AND ($6::timestamptz IS NULL OR failed_at < $6)
       ORDER BY failed_at, id LIMIT $7`,
      [f.state ?? null, f.topic ?? null, f.type ?? null, f.error ?? null, f.since ?? null, f.until ?? null, f.limit ?? 100],
    );
    return rows.map(toDeadLetter);
  }

  async get(manager: EntityManager, id: string, lock = false): Promise<DeadLetterDetail | undefined> {
    const rows = await manager.query<(Record_ & { headers: Record<string, string>; message_value: Buffer | null })[]>(
      `SELECT ${COLUMNS}, headers, message_value FROM ${this.table} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { ...toDeadLetter(r), headers: r.headers, ...decodePayload(r.message_value), value: r.message_value };
  }

  async countOpen(manager: EntityManager): Promise<number> {
    const [{ n }] = await manager.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${this.table} WHERE state = 'open'`);
    return n;
  }

  async resolve(manager: EntityManager, id: string, state: 'replayed' | 'discarded', actor: string, resolution: string): Promise<void> {
    await manager.query(`UPDATE ${this.table} SET state = $2, resolved_at = now(), resolved_by = $3, resolution = $4 WHERE id = $1`, [
      id,
      state,
      actor,
      resolution,
    ]);
  }
}
