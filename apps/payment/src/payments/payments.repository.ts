import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { normalizeAmount } from '../domain/money';
import { type PaymentStatus } from '../domain/payment-lifecycle';

export interface PaymentRow {
  paymentId: string;
  caseId: string;
  feeId: string;
  tenantArs: string;
  leikaKey: string;
  /** The service's name as the case named it (for the fee notice). */
  serviceName: string | null;
  kassenzeichen: string;
  portalReference: string | null;
  amountDue: string;
  amountPaid: string;
  currency: 'EUR';
  policy: string;
  bookingText: string;
  paymentMethod: string | null;
  status: PaymentStatus;
  providerTransactionId: string | null;
  paypageUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewPayment = Omit<PaymentRow, 'amountPaid' | 'status' | 'paypageUrl' | 'createdAt' | 'updatedAt' | 'serviceName'> & {
  serviceName?: string | null;
};

/** One history row: a transition of a payment, once per request id. */
export interface HistoryRow {
  paymentId: string;
  from: PaymentStatus | null;
  to: PaymentStatus;
  amountPaid: string;
  reason: string;
  source: string;
  requestId: string;
}

const COLUMNS = `payment_id AS "paymentId", case_id AS "caseId", fee_id AS "feeId", tenant_ars AS "tenantArs", leika_key AS "leikaKey",
  service_name AS "serviceName", kassenzeichen, portal_reference AS "portalReference", amount_due::text AS "amountDue", amount_paid::text AS "amountPaid",
  currency, policy, booking_text AS "bookingText", payment_method AS "paymentMethod", status,
  provider_transaction_id AS "providerTransactionId", paypage_url AS "paypageUrl", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** numeric(14, 5) reads as "30.50000": shown as "30.50". */
const amounts = <T extends { amountDue?: string; amountPaid?: string }>(row: T): T => ({
  ...row,
  ...(row.amountDue !== undefined ? { amountDue: normalizeAmount(row.amountDue) } : {}),
  ...(row.amountPaid !== undefined ? { amountPaid: normalizeAmount(row.amountPaid) } : {}),
});

const SCOPE = `($2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE tenant_ars LIKE p || '%'))`;

/** Payments, their history and the Kassenzeichen counters (all SQL of those tables). */
@Injectable()
export class PaymentsRepository {
  /** The next running number of a tenant's Kassenzeichen in a year (row lock: no gaps, no duplicates). */
  async nextSequence(manager: EntityManager, tenantArs: string, year: number): Promise<number> {
    const [{ last }] = await manager.query<[{ last: number }]>(
      `INSERT INTO payment.kassenzeichen_counters (tenant_ars, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (tenant_ars, year) DO UPDATE SET last = payment.kassenzeichen_counters.last + 1 RETURNING last`,
      [tenantArs, year],
    );
    return last;
  }

  async alreadyRecorded(manager: EntityManager, caseId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM payment.payments WHERE case_id = $1 UNION ALL SELECT 1 FROM payment.cases_without_fee WHERE case_id = $1`,
      [caseId],
    );
    return rows.length > 0;
  }

  async insert(manager: EntityManager, p: NewPayment): Promise<void> {
    await manager.query(
      `INSERT INTO payment.payments (payment_id, case_id, fee_id, tenant_ars, leika_key, kassenzeichen, portal_reference, amount_due, currency,
         policy, booking_text, payment_method, status, provider_transaction_id, next_poll_at, service_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'INITIAL', $13, CASE WHEN $13::text IS NULL THEN NULL ELSE now() END, $14)`,
      [
        p.paymentId,
        p.caseId,
        p.feeId,
        p.tenantArs,
        p.leikaKey,
        p.kassenzeichen,
        p.portalReference,
        p.amountDue,
        p.currency,
        p.policy,
        p.bookingText,
        p.paymentMethod,
        p.providerTransactionId,
        p.serviceName ?? null,
      ],
    );
  }

  /** The SHA-512 of the fee notice last rendered for the payment (its bytes are in the blob store). */
  async setNotice(manager: EntityManager, paymentId: string, sha512: string): Promise<void> {
    await manager.query(`UPDATE payment.payments SET notice_sha512 = $2 WHERE payment_id = $1`, [paymentId, sha512]);
  }

  async insertWithoutFee(manager: EntityManager, caseId: string, tenantArs: string, leikaKey: string): Promise<void> {
    await manager.query(
      `INSERT INTO payment.cases_without_fee (case_id, tenant_ars, leika_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [caseId, tenantArs, leikaKey],
    );
  }

  async withoutFee(manager: EntityManager, caseId: string, prefixes: string[] | null): Promise<{ recordedAt: string } | undefined> {
    const [row] = await manager.query<{ recordedAt: string }[]>(
      `SELECT recorded_at AS "recordedAt" FROM payment.cases_without_fee WHERE case_id = $1 AND ${SCOPE}`,
      [caseId, prefixes],
    );
    return row;
  }

  async byCase(manager: EntityManager, caseId: string, prefixes: string[] | null): Promise<PaymentRow | undefined> {
    const [row] = await manager.query<PaymentRow[]>(`SELECT ${COLUMNS} FROM payment.payments WHERE case_id = $1 AND ${SCOPE}`, [
      caseId,
      prefixes,
    ]);
    return row && amounts(row);
  }

  async byId(manager: EntityManager, paymentId: string, prefixes: string[] | null): Promise<PaymentRow | undefined> {
    const [row] = await manager.query<PaymentRow[]>(`SELECT ${COLUMNS} FROM payment.payments WHERE payment_id = $1 AND ${SCOPE}`, [
      paymentId,
      prefixes,
    ]);
    return row && amounts(row);
  }

  async lock(manager: EntityManager, paymentId: string): Promise<PaymentRow | undefined> {
    const [row] = await manager.query<PaymentRow[]>(`SELECT ${COLUMNS} FROM payment.payments WHERE payment_id = $1 FOR UPDATE`, [
      paymentId,
    ]);
    return row && amounts(row);
  }

  /**
   * A tenant's payments with one of these Kassenzeichen or provider/end-to-end references, locked for the caller's
   * transaction in payment id order (so two transactions locking overlapping sets wait instead of deadlocking).
   */
  async lockCandidates(manager: EntityManager, tenantArs: string, kassenzeichen: string[], references: string[]): Promise<PaymentRow[]> {
    if (kassenzeichen.length === 0 && references.length === 0) return [];
    return manager
      .query<PaymentRow[]>(
        `SELECT ${COLUMNS} FROM payment.payments
        WHERE tenant_ars = $1 AND (kassenzeichen = ANY($2::text[]) OR provider_transaction_id = ANY($3::text[]) OR kassenzeichen = ANY($3::text[]))
        ORDER BY payment_id FOR UPDATE`,
        [tenantArs, kassenzeichen, references],
      )
      .then((rows) => rows.map(amounts));
  }

  /** How many open payments (INITIAL, PARTIALLY_PAID) of each tenant are due exactly each amount (one statement). */
  async openByAmount(
    manager: EntityManager,
    wanted: { tenantArs: string; amount: string }[],
  ): Promise<{ tenantArs: string; amount: string; n: number }[]> {
    if (wanted.length === 0) return [];
    return manager.query(
      `SELECT w."tenantArs", w.amount, (SELECT count(*)::int FROM payment.payments p
                WHERE p.tenant_ars = w."tenantArs" AND p.status IN ('INITIAL', 'PARTIALLY_PAID') AND p.amount_due = w.amount::numeric) AS n
         FROM (SELECT DISTINCT "tenantArs", amount FROM jsonb_to_recordset($1::jsonb) AS x("tenantArs" char(12), amount text)) w`,
      [JSON.stringify(wanted)],
    );
  }

  /** Which of these request ids the payments' history has recorded already (the caller holds the payments' locks). */
  async recordedRequests(
    manager: EntityManager,
    paymentIds: string[],
    requestIds: string[],
  ): Promise<{ paymentId: string; requestId: string }[]> {
    if (paymentIds.length === 0 || requestIds.length === 0) return [];
    return manager.query(
      `SELECT payment_id AS "paymentId", request_id AS "requestId" FROM payment.payment_history
        WHERE payment_id = ANY($1::uuid[]) AND request_id = ANY($2::text[])`,
      [paymentIds, requestIds],
    );
  }

  /**
   * Records many transitions of locked payments at once: the history rows in the given order, and each payment's
   * state after its last one. The caller checked `recordedRequests` under the lock, so each request id is new.
   */
  async recordTransitions(manager: EntityManager, rows: HistoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(rows.map((r, ord) => ({ ...r, ord })));
    await manager.query(
      `INSERT INTO payment.payment_history (payment_id, from_status, to_status, amount_paid, reason, source, request_id)
       SELECT x."paymentId", x."from", x."to", x."amountPaid"::numeric, x.reason, x.source, x."requestId"
         FROM jsonb_to_recordset($1::jsonb) AS x("paymentId" uuid, "from" text, "to" text, "amountPaid" text, reason text, source text, "requestId" text, ord int)
        ORDER BY x.ord`,
      [json],
    );
    await manager.query(
      `UPDATE payment.payments p SET status = l."to", amount_paid = l."amountPaid"::numeric, updated_at = now()
         FROM (SELECT DISTINCT ON (x."paymentId") x."paymentId", x."to", x."amountPaid"
                 FROM jsonb_to_recordset($1::jsonb) AS x("paymentId" uuid, "to" text, "amountPaid" text, ord int)
                ORDER BY x."paymentId", x.ord DESC) l
        WHERE p.payment_id = l."paymentId"`,
      [json],
    );
  }

  /** Records a transition once per request id (history row and new state together); false when already applied. */
  async recordTransition(manager: EntityManager, paymentId: string, t: Omit<HistoryRow, 'paymentId'>): Promise<boolean> {
    const [{ n }] = await manager.query<[{ n: number }]>(
      `WITH h AS (
         INSERT INTO payment.payment_history (payment_id, from_status, to_status, amount_paid, reason, source, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (payment_id, request_id) DO NOTHING RETURNING payment_id),
       u AS (UPDATE payment.payments SET status = $3, amount_paid = $4, updated_at = now() WHERE payment_id IN (SELECT payment_id FROM h) RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [paymentId, t.from, t.to, t.amountPaid, t.reason, t.source, t.requestId],
    );
    return n > 0;
  }

  async history(manager: EntityManager, paymentId: string): Promise<unknown[]> {
    const rows = await manager.query<{ amountPaid: string }[]>(
      `SELECT from_status AS "from", to_status AS "to", amount_paid::text AS "amountPaid", reason, source, request_id AS "requestId", at
         FROM payment.payment_history WHERE payment_id = $1 ORDER BY history_id`,
      [paymentId],
    );
    return rows.map(amounts);
  }
}
