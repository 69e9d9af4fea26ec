import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { normalizeAmount } from '../domain/money';

export interface RefundRow {
  refundId: string;
  paymentId: string;
  requestId: string;
  amount: string;
  reason: string;
  /** `api`: recorded by a caseworker or tenant-admin; `statement`: seen as an outgoing transfer on a bank statement. */
  origin: 'api' | 'statement';
  recordedBy: string;
  /** The other side of the same refund: the statement item that showed it, or the request that recorded it. */
  confirmedBy: string | null;
  createdAt: string;
}

const COLUMNS = `refund_id AS "refundId", payment_id AS "paymentId", request_id AS "requestId", amount::text AS amount, reason, origin,
  recorded_by AS "recordedBy", confirmed_by AS "confirmedBy", created_at AS "createdAt"`;

const shown = (r: RefundRow): RefundRow => ({ ...r, amount: normalizeAmount(r.amount) });

/** Refunds of payments (all SQL of `payment.refunds`). */
@Injectable()
export class RefundsRepository {
  async byRequest(manager: EntityManager, paymentId: string, requestId: string): Promise<RefundRow | undefined> {
    const [row] = await manager.query<RefundRow[]>(`SELECT ${COLUMNS} FROM payment.refunds WHERE payment_id = $1 AND request_id = $2`, [
      paymentId,
      requestId,
    ]);
    return row && shown(row);
  }

  /** The oldest refund of this amount from the other origin that nothing has confirmed yet (the same refund, seen twice). */
  async unconfirmed(
    manager: EntityManager,
    paymentId: string,
    amount: string,
    origin: RefundRow['origin'],
  ): Promise<RefundRow | undefined> {
    const [row] = await manager.query<RefundRow[]>(
      `SELECT ${COLUMNS} FROM payment.refunds WHERE payment_id = $1 AND amount = $2::numeric AND origin = $3 AND confirmed_by IS NULL
        ORDER BY created_at LIMIT 1 FOR UPDATE`,
      [paymentId, amount, origin],
    );
    return row && shown(row);
  }

  async insert(manager: EntityManager, r: Omit<RefundRow, 'createdAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO payment.refunds (refund_id, payment_id, request_id, amount, reason, origin, recorded_by, confirmed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.refundId, r.paymentId, r.requestId, r.amount, r.reason, r.origin, r.recordedBy, r.confirmedBy],
    );
  }

  async confirm(manager: EntityManager, refundId: string, by: string): Promise<void> {
    await manager.query(`UPDATE payment.refunds SET confirmed_by = $2 WHERE refund_id = $1`, [refundId, by]);
  }

  async ofPayment(manager: EntityManager, paymentId: string): Promise<RefundRow[]> {
    const rows = await manager.query<RefundRow[]>(`SELECT ${COLUMNS} FROM payment.refunds WHERE payment_id = $1 ORDER BY created_at`, [
      paymentId,
    ]);
    return rows.map(shown);
  }
}
