import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ProviderConfig } from './xbezahldienste.client';

export interface PollCandidate {
  paymentId: string;
  tenantArs: string;
  transactionId: string;
  attempts: number;
}

/** Per-tenant provider configuration and the status-poll schedule of online payments. */
@Injectable()
export class ProviderRepository {
  async upsertConfig(manager: EntityManager, c: ProviderConfig, by: string): Promise<void> {
    await manager.query(
      `INSERT INTO payment.provider_configs (tenant_ars, endpoint, merchant_id, credentials, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_ars) DO UPDATE SET endpoint = $2, merchant_id = $3, credentials = $4, updated_by = $5, updated_at = now()`,
      [c.tenantArs, c.endpoint, c.merchantId, c.credentials, by],
    );
  }

  async config(manager: EntityManager, tenantArs: string): Promise<ProviderConfig | undefined> {
    const [row] = await manager.query<ProviderConfig[]>(
      `SELECT tenant_ars AS "tenantArs", endpoint, merchant_id AS "merchantId", credentials FROM payment.provider_configs WHERE tenant_ars = $1`,
      [tenantArs],
    );
    return row;
  }

  async setTransaction(manager: EntityManager, paymentId: string, transactionId: string, paypageUrl: string): Promise<void> {
    await manager.query(
      `UPDATE payment.payments SET provider_transaction_id = $2, paypage_url = $3, payment_method = COALESCE(payment_method, 'OTHER'),
         next_poll_at = now(), poll_attempts = 0, updated_at = now() WHERE payment_id = $1`,
      [paymentId, transactionId, paypageUrl],
    );
  }

  /** Ask now (the citizen returned, or the portal claims a status): only the provider's answer counts. */
  async pollNow(manager: EntityManager, paymentId: string): Promise<void> {
    await manager.query(
      `UPDATE payment.payments SET next_poll_at = now() WHERE payment_id = $1 AND status = 'INITIAL' AND provider_transaction_id IS NOT NULL`,
      [paymentId],
    );
  }

  /** Claims due polls by pushing their next poll out by `leaseMs` (another instance skips them meanwhile). */
  async claimDue(manager: EntityManager, limit: number, leaseMs: number): Promise<PollCandidate[]> {
    return manager.query<PollCandidate[]>(
      // A CTE, so the statement is a SELECT for the driver (TypeORM answers an UPDATE with [rows, count]).
      `WITH claimed AS (
         UPDATE payment.payments SET next_poll_at = now() + $2::int * interval '1 millisecond'
          WHERE payment_id IN (SELECT payment_id FROM payment.payments WHERE next_poll_at <= now() AND status = 'INITIAL'
                                 AND provider_transaction_id IS NOT NULL ORDER BY next_poll_at LIMIT $1::int FOR UPDATE SKIP LOCKED)
          RETURNING payment_id, tenant_ars, provider_transaction_id, poll_attempts)
       SELECT payment_id AS "paymentId", tenant_ars AS "tenantArs", provider_transaction_id AS "transactionId", poll_attempts AS attempts FROM claimed`,
      [limit, leaseMs],
    );
  }

  async reschedule(manager: EntityManager, paymentId: string, delayMs: number | null): Promise<void> {
    await manager.query(
      `UPDATE payment.payments SET next_poll_at = CASE WHEN $2::int IS NULL THEN NULL ELSE now() + $2::int * interval '1 millisecond' END,
         poll_attempts = poll_attempts + 1 WHERE payment_id = $1`,
      [paymentId, delayMs],
    );
  }
}
