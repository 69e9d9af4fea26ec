import { type EntityManager } from 'typeorm';

export interface OutboxRow {
  seq: string;
  message_id: string;
  topic: string;
  message_key: string;
  envelope: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

export type ParkedState = 'parked' | 'retried' | 'discarded';

export interface ParkedRow {
  seq: string;
  messageId: string;
  topic: string;
  key: string;
  eventType: string | undefined;
  sizeBytes: number;
  createdAt: string;
  parkedAt: string;
  reasonCode: string;
  reason: string;
  heldBehind: string | undefined;
  state: ParkedState;
  resolvedAt: string | undefined;
  resolvedBy: string | undefined;
  resolution: string | undefined;
}

interface ParkedRecord {
  seq: string;
  message_id: string;
  topic: string;
  message_key: string;
  event_type: string | null;
  size_bytes: number;
  created_at: Date;
  parked_at: Date;
  reason_code: string;
  reason: string;
  held_behind: string | null;
  state: ParkedState;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface ParkedFilter {
  state?: ParkedState;
  topic?: string;
  key?: string;
  limit?: number;
}

const COLUMNS = `seq, message_id, topic, message_key, envelope->>'type' AS event_type, size_bytes, created_at, parked_at, reason_code,
  reason, held_behind, state, resolved_at, resolved_by, resolution`;

function toParked(r: ParkedRecord): ParkedRow {
  return {
    seq: String(r.seq),
    messageId: r.message_id,
    topic: r.topic,
    key: r.message_key,
    eventType: r.event_type ?? undefined,
    sizeBytes: r.size_bytes,
    createdAt: new Date(r.created_at).toISOString(),
    parkedAt: new Date(r.parked_at).toISOString(),
    reasonCode: r.reason_code,
    reason: r.reason,
    heldBehind: r.held_behind === null ? undefined : String(r.held_behind),
    state: r.state,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : undefined,
    resolvedBy: r.resolved_by ?? undefined,
    resolution: r.resolution ?? undefined,
  };
}

/** All SQL of parked outbox rows (`<schema>.outbox_parked`). */
export class ParkedOutboxRepository {
  constructor(private readonly schema: string) {}

  private get table(): string {
    return `"${this.schema}".outbox_parked`;
  }

  /** For each of these keys that has a parked row: the first parked row's seq. */
  async blockedKeys(manager: EntityManager, keys: string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await manager.query<{ message_key: string; seq: string }[]>(
      `SELECT message_key, min(seq)::text AS seq FROM ${this.table} WHERE state = 'parked' AND message_key = ANY($1::text[]) GROUP BY message_key`,
      [[...new Set(keys)]],
    );
    return new Map(rows.map((r) => [r.message_key, r.seq]));
  }

  async park(manager: EntityManager, row: OutboxRow, why: { code: string; reason: string; heldBehind: string | undefined }): Promise<void> {
    const size = Buffer.byteLength(JSON.stringify(row.envelope));
    await manager.query(
      `INSERT INTO ${this.table} (seq, message_id, topic, message_key, envelope, headers, size_bytes, created_at, reason_code, reason, held_behind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (seq) DO NOTHING`,
      [
        row.seq,
        row.message_id,
        row.topic,
        row.message_key,
        JSON.stringify(row.envelope),
        JSON.stringify(row.headers),
        size,
        row.created_at,
        why.code,
        why.reason,
        why.heldBehind ?? null,
      ],
    );
  }

  async countParked(manager: EntityManager): Promise<number> {
    const [{ n }] = await manager.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${this.table} WHERE state = 'parked'`);
    return n;
  }

  async list(manager: EntityManager, filter: ParkedFilter): Promise<ParkedRow[]> {
    const rows = await manager.query<ParkedRecord[]>(
      `SELECT ${COLUMNS} FROM ${this.table}
       WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR topic = $2) AND ($3::text IS NULL OR message_key = $3)
       ORDER BY seq LIMIT $4`,
      [filter.state ?? null, filter.topic ?? null, filter.key ?? null, filter.limit ?? 100],
    );
    return rows.map(toParked);
  }

  async get(
    manager: EntityManager,
    seq: string,
  ): Promise<(ParkedRow & { envelope: unknown; headers: Record<string, string> }) | undefined> {
    const rows = await manager.query<(ParkedRecord & { envelope: unknown; headers: Record<string, string> })[]>(
      `SELECT ${COLUMNS}, envelope, headers FROM ${this.table} WHERE seq = $1`,
      [seq],
    );
    const r = rows[0];
    return r ? { ...toParked(r), envelope: r.envelope, headers: r.headers } : undefined;
  }

  /** The parked row and every row parked behind it (same key), in order, locked for the caller's transaction. */
  async lockChain(manager: EntityManager, seq: string): Promise<string[]> {
    const rows = await manager.query<{ seq: string }[]>(
      `SELECT p.seq::text AS seq FROM ${this.table} p JOIN ${this.table} head ON head.seq = $1
       WHERE p.state = 'parked' AND p.message_key = head.message_key AND p.seq >= head.seq ORDER BY p.seq FOR UPDATE OF p`,
      [seq],
    );
    return rows.map((r) => r.seq);
  }

  /** Puts parked rows back into the outbox (new sequence numbers, same order) and marks them retried. */
  async requeue(manager: EntityManager, seqs: string[], actor: string): Promise<void> {
    await manager.query(
      `INSERT INTO "${this.schema}".outbox (message_id, topic, message_key, envelope, headers, created_at)
       SELECT message_id, topic, message_key, envelope, headers, created_at FROM ${this.table} WHERE seq = ANY($1::bigint[]) ORDER BY seq`,
      [seqs],
    );
    await manager.query(
      `UPDATE ${this.table} SET state = 'retried', resolved_at = now(), resolved_by = $2, resolution = 'retried' WHERE seq = ANY($1::bigint[])`,
      [seqs, actor],
    );
  }

  async discard(manager: EntityManager, seqs: string[], actor: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE ${this.table} SET state = 'discarded', resolved_at = now(), resolved_by = $2, resolution = $3 WHERE seq = ANY($1::bigint[])`,
      [seqs, actor, reason],
    );
  }
}
