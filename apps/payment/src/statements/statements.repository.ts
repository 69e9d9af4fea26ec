import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { cursorTimeSql, type PageRequest } from '@poststelle/platform';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { type CamtItem } from './camt-parser';
import { type BookedItemFacts } from './double-booking';

export interface NewImport {
  importId: string;
  tenantArs: string;
  messageId: string;
  statementIds: string[];
  kind: string;
  version: string;
  source: 'api' | 'drop-folder';
  fileName: string | null;
  sha256: string;
  total: number;
  importedBy: string;
}

export interface ClaimedItem {
  importId: string;
  tenantArs: string;
  /** `camt.053` or `camt.054`, and the message id, of the item's import. */
  kind: string;
  messageId: string;
  position: string;
  item: CamtItem;
}

/** Where an item was booked first: the import, its message and the item's position. */
export interface BookedAt {
  importId: string;
  kind: string;
  messageId: string;
  position: string;
}

/** A booking as stored: where the item was, what it booked to which payment, and the bank's facts. */
export type StoredBooking = BookedAt & BookedItemFacts & { paymentId: string; amount: string };

/** A booking to record; `pairedWith` names the earlier booking of the same bank transaction it repeated. */
export type NewBooking = StoredBooking & { tenantArs: string; pairedWith?: BookedAt };

export type ItemOutcome = {
  importId: string;
  position: string;
  state: 'booked' | 'queued' | 'ignored' | 'already-booked';
  paymentId: string | null;
  text: string;
  duplicateOf?: BookedAt;
};

const IMPORT_COLUMNS = `import_id AS "importId", tenant_ars AS "tenantArs", message_id AS "messageId", statement_ids AS "statementIds", kind, version,
  source, file_name AS "fileName", sha256, state, total, done, booked, queued, ignored, already_booked AS "alreadyBooked", imported_by AS "importedBy", created_at AS "createdAt",
  finished_at AS "finishedAt"`;
const SCOPE = `($2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE tenant_ars LIKE p || '%'))`;

/** Statement imports, their items and the clerk queue (all SQL of those tables). */
@Injectable()
export class StatementsRepository {
  /** Creates the import unless the tenant imported the same message and statements before; returns the existing id then. */
  async create(manager: EntityManager, imp: NewImport): Promise<{ importId: string; created: boolean }> {
    const key = `${imp.messageId}|${[...imp.statementIds].sort().join('|')}`;
    const inserted = await manager.query<{ import_id: string }[]>(
      `INSERT INTO payment.statement_imports (import_id, tenant_ars, message_id, statement_ids, statement_key, kind, version, source, file_name, sha256,
         state, total, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $11, $12) ON CONFLICT (tenant_ars, statement_key) DO NOTHING RETURNING import_id`,
      [
        imp.importId,
        imp.tenantArs,
        imp.messageId,
        imp.statementIds,
        key,
        imp.kind,
        imp.version,
        imp.source,
        imp.fileName,
        imp.sha256,
        imp.total,
        imp.importedBy,
      ],
    );
    if (inserted.length > 0) return { importId: imp.importId, created: true };
    const [existing] = await manager.query<{ import_id: string; sha256: string }[]>(
      'SELECT import_id, sha256 FROM payment.statement_imports WHERE tenant_ars = $1 AND statement_key = $2',
      [imp.tenantArs, key],
    );
    if (existing!.sha256 !== imp.sha256) {
      throw new PaymentException(
        PaymentErrorCode.StatementConflict,
        `message ${imp.messageId} with statement(s) ${imp.statementIds.join(', ')} was imported before (import ${existing!.import_id}) with different content; a bank never reuses these ids, so this file is refused`,
        { importId: existing!.import_id },
      );
    }
    return { importId: existing!.import_id, created: false };
  }

  async addItems(manager: EntityManager, importId: string, items: CamtItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000);
      await manager.query(
        `INSERT INTO payment.statement_items (import_id, position, seq, item)
         SELECT $1, x.position, x.seq, x.item FROM jsonb_to_recordset($2::jsonb) AS x(position text, seq int, item jsonb)`,
        [importId, JSON.stringify(chunk.map((item, j) => ({ position: item.position, seq: i + j, item })))],
      );
    }
  }

  /** Up to `limit` pending items of running imports, locked for this transaction (others skip them). */
  async claimPending(manager: EntityManager, limit: number): Promise<ClaimedItem[]> {
    return manager.query<ClaimedItem[]>(
      `SELECT i.import_id AS "importId", s.tenant_ars AS "tenantArs", s.kind, s.message_id AS "messageId", i.position, i.item
         FROM payment.statement_items i JOIN payment.statement_imports s ON s.import_id = i.import_id
        WHERE i.state = 'pending' AND s.state = 'running'
        ORDER BY s.created_at, i.seq LIMIT $1 FOR UPDATE OF i SKIP LOCKED`,
      [limit],
    );
  }

  /** Records the outcome of a chunk's items and advances each import's progress (one statement each). */
  async settleItems(manager: EntityManager, outcomes: ItemOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await manager.query(
      `UPDATE payment.statement_items i SET state = x.state, payment_id = x."paymentId", outcome = x.text, duplicate_of = x."duplicateOf"
         FROM jsonb_to_recordset($1::jsonb) AS x("importId" uuid, position text, state text, "paymentId" uuid, text text, "duplicateOf" jsonb)
        WHERE i.import_id = x."importId" AND i.position = x.position`,
      [JSON.stringify(outcomes)],
    );
    await manager.query(
      `UPDATE payment.statement_imports s SET done = s.done + c.n, booked = s.booked + c.booked, queued = s.queued + c.queued, ignored = s.ignored + c.ignored,
              already_booked = s.already_booked + c.already,
              state = CASE WHEN s.done + c.n >= s.total THEN 'done' ELSE s.state END,
              finished_at = CASE WHEN s.done + c.n >= s.total THEN now() END
         FROM (SELECT "importId", count(*)::int AS n, count(*) FILTER (WHERE state = 'booked')::int AS booked,
                      count(*) FILTER (WHERE state = 'queued')::int AS queued, count(*) FILTER (WHERE state = 'ignored')::int AS ignored,
                      count(*) FILTER (WHERE state = 'already-booked')::int AS already
                 FROM jsonb_to_recordset($1::jsonb) AS x("importId" uuid, state text) GROUP BY "importId") c
        WHERE s.import_id = c."importId"`,
      [JSON.stringify(outcomes.map((o) => ({ importId: o.importId, state: o.state })))],
    );
  }

  /**
   * The bookings of these payments that no later report has been paired with yet (candidates for "the same credit
   * reported again"), oldest first. The caller holds the payments' row locks, so two imports of one credit are
   * decided one after the other.
   */
  async unpairedBookings(manager: EntityManager, paymentIds: string[]): Promise<StoredBooking[]> {
    if (paymentIds.length === 0) return [];
    return manager.query(
      `SELECT import_id AS "importId", kind, message_id AS "messageId", position, payment_id AS "paymentId", direction, amount::text AS amount,
              booking_date AS "bookingDate", acct_svcr_ref AS "accountServicerRef", end_to_end_id AS "endToEndId"
         FROM payment.statement_bookings
        WHERE payment_id = ANY($1::uuid[]) AND paired_import_id IS NULL
        ORDER BY created_at, import_id, position`,
      [paymentIds],
    );
  }

  /**
   * Notes what items booked, in one statement; a booking with `pairedWith` repeated that earlier booking, which is
   * paired back (also when it is one of this batch).
   */
  async recordBookings(manager: EntityManager, bookings: NewBooking[]): Promise<void> {
    if (bookings.length === 0) return;
    const rows = bookings.map(({ pairedWith, ...b }) => ({
      ...b,
      pairedImportId: pairedWith?.importId ?? null,
      pairedPosition: pairedWith?.position ?? null,
    }));
    await manager.query(
      `INSERT INTO payment.statement_bookings (import_id, position, tenant_ars, kind, message_id, payment_id, direction, amount, booking_date,
         acct_svcr_ref, end_to_end_id, paired_import_id, paired_position)
       SELECT x."importId", x.position, x."tenantArs", x.kind, x."messageId", x."paymentId", x.direction, x.amount::numeric, x."bookingDate",
              x."accountServicerRef", x."endToEndId", x."pairedImportId", x."pairedPosition"
         FROM jsonb_to_recordset($1::jsonb) AS x("importId" uuid, position text, "tenantArs" text, kind text, "messageId" text, "paymentId" uuid,
              direction text, amount text, "bookingDate" text, "accountServicerRef" text, "endToEndId" text, "pairedImportId" uuid, "pairedPosition" text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    const pairs = rows.filter((r) => r.pairedImportId !== null);
    if (pairs.length === 0) return;
    await manager.query(
      `UPDATE payment.statement_bookings b SET paired_import_id = x."importId", paired_position = x.position
         FROM jsonb_to_recordset($1::jsonb) AS x("importId" uuid, position text, "pairedImportId" uuid, "pairedPosition" text)
        WHERE b.import_id = x."pairedImportId" AND b.position = x."pairedPosition"`,
      [JSON.stringify(pairs)],
    );
  }

  async finishEmpty(manager: EntityManager, importId: string): Promise<void> {
    await manager.query(`UPDATE payment.statement_imports SET state = 'done', finished_at = now() WHERE import_id = $1 AND total = 0`, [
      importId,
    ]);
  }

  async byId(manager: EntityManager, importId: string, prefixes: string[] | null): Promise<Record<string, unknown> | undefined> {
    const [row] = await manager.query<Record<string, unknown>[]>(
      `SELECT ${IMPORT_COLUMNS} FROM payment.statement_imports WHERE import_id = $1 AND ${SCOPE}`,
      [importId, prefixes],
    );
    return row;
  }

  async items(manager: EntityManager, importId: string): Promise<unknown[]> {
    return manager.query(
      `SELECT position, item->>'amount' AS amount, item->>'currency' AS currency, item->>'direction' AS direction, state, payment_id AS "paymentId", outcome,
              duplicate_of AS "duplicateOf"
         FROM payment.statement_items WHERE import_id = $1 ORDER BY seq`,
      [importId],
    );
  }

  /** Puts items into the clerk queue with the reason matching failed (one statement; an item already there stays). */
  async enqueue(manager: EntityManager, entries: { itemId: string; item: ClaimedItem; reason: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map(({ itemId, item: c, reason }, ord) => ({
      itemId,
      tenantArs: c.tenantArs,
      importId: c.importId,
      position: c.position,
      amount: c.item.amount,
      currency: c.item.currency,
      direction: c.item.direction,
      remittance: c.item.remittance,
      refs: {
        structuredRefs: c.item.structuredRefs,
        endToEndId: c.item.endToEndId ?? null,
        debtorName: c.item.debtorName ?? null,
        returnReasonCode: c.item.returnReasonCode ?? null,
      },
      reason,
      ord,
    }));
    await manager.query(
      `INSERT INTO payment.clerk_queue (item_id, tenant_ars, import_id, position, amount, currency, direction, remittance, refs, reason)
       SELECT x."itemId", x."tenantArs", x."importId", x.position, x.amount, x.currency, x.direction, x.remittance, x.refs, x.reason
         FROM jsonb_to_recordset($1::jsonb) AS x("itemId" uuid, "tenantArs" text, "importId" uuid, position text, amount text, currency text,
              direction text, remittance text, refs jsonb, reason text, ord int)
        ORDER BY x.ord
       ON CONFLICT (import_id, position) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /** Oldest first, one page after the cursor's item (keyset on creation time, position and item id); `cursorAt` is the key. */
  async queue(
    manager: EntityManager,
    prefixes: string[] | null,
    state: string,
    page: PageRequest,
  ): Promise<(Record<string, unknown> & { itemId: string; position: string; cursorAt: string })[]> {
    return manager.query(
      `SELECT item_id AS "itemId", tenant_ars AS "tenantArs", import_id AS "importId", position, amount, currency, direction, remittance, refs, reason,
              state, case_id AS "caseId", settled_by AS "settledBy", settled_at AS "settledAt", created_at AS "createdAt",
              ${cursorTimeSql('created_at')} AS "cursorAt"
         FROM payment.clerk_queue WHERE state = $1 AND ${SCOPE}
          AND ($4::timestamptz IS NULL OR (created_at, position, item_id) > ($4::timestamptz, $5, $6::uuid))
        ORDER BY created_at, position, item_id LIMIT $3`,
      [state, prefixes, page.limit + 1, page.after?.[0] ?? null, page.after?.[1] ?? null, page.after?.[2] ?? null],
    );
  }

  /** Open items of the tenants (`prefixes`; null: all): how many, and since when the oldest waits. */
  async openQueueSummary(manager: EntityManager, prefixes: string[] | null): Promise<{ count: number; oldestAt: Date | null }> {
    const [row] = await manager.query<{ count: number; oldest_at: Date | null }[]>(
      `SELECT count(*)::int AS count, min(created_at) AS oldest_at FROM payment.clerk_queue WHERE state = $1 AND ${SCOPE}`,
      ['open', prefixes],
    );
    return { count: row?.count ?? 0, oldestAt: row?.oldest_at ?? null };
  }

  async lockQueueItem(
    manager: EntityManager,
    itemId: string,
    prefixes: string[] | null,
  ): Promise<
    | { tenantArs: string; amount: string; currency: string; direction: string; state: string; refs: { returnReasonCode: string | null } }
    | undefined
  > {
    const [row] = await manager.query<
      { tenantArs: string; amount: string; currency: string; direction: string; state: string; refs: { returnReasonCode: string | null } }[]
    >(
      `SELECT tenant_ars AS "tenantArs", amount, currency, direction, state, refs FROM payment.clerk_queue WHERE item_id = $1 AND ${SCOPE} FOR UPDATE`,
      [itemId, prefixes],
    );
    return row;
  }

  async settleQueueItem(
    manager: EntityManager,
    itemId: string,
    state: 'assigned' | 'not-ours',
    caseId: string | null,
    by: string,
  ): Promise<void> {
    await manager.query(`UPDATE payment.clerk_queue SET state = $2, case_id = $3, settled_by = $4, settled_at = now() WHERE item_id = $1`, [
      itemId,
      state,
      caseId,
      by,
    ]);
  }
}
