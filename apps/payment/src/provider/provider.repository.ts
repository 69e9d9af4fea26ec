import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment.config';
import { CredentialsCipher } from './credentials-cipher';
import { type ProviderConfig } from './xbezahldienste.client';

export interface PollCandidate {
  paymentId: string;
  tenantArs: string;
  transactionId: string;
  attempts: number;
}

/**
 * Per-tenant provider configuration and the status-poll schedule of online payments. The credentials column only
 * ever holds AES-256-GCM ciphertext (`enc:v1:…`): encrypted on write, decrypted on read (ADR 0019).
 */
@Injectable()
export class ProviderRepository {
  private readonly cipher: CredentialsCipher;

  constructor(@Inject(PAYMENT_SETTINGS) settings: Pick<PaymentSettings, 'provider'>) {
    this.cipher = new CredentialsCipher(settings.provider.credentialsKey);
  }

  async upsertConfig(manager: EntityManager, c: ProviderConfig, by: string): Promise<void> {
    await manager.query(
      `INSERT INTO payment.provider_configs (tenant_ars, endpoint, merchant_id, credentials, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_ars) DO UPDATE SET endpoint = $2, merchant_id = $3, credentials = $4, updated_by = $5, updated_at = now()`,
      [c.tenantArs, c.endpoint, c.merchantId, this.cipher.encrypt(c.credentials, c.tenantArs), by],
    );
  }

  async config(manager: EntityManager, tenantArs: string): Promise<ProviderConfig | undefined> {
    const [row] = await manager.query<ProviderConfig[]>(
      `SELECT tenant_ars AS "tenantArs", endpoint, merchant_id AS "merchantId", credentials FROM payment.provider_configs WHERE tenant_ars = $1`,
      [tenantArs],
    );
    if (!row) return undefined;
    const encrypted = CredentialsCipher.isEncrypted(row.credentials);
    return { ...row, credentials: encrypted ? this.cipher.decrypt(row.credentials, row.tenantArs.trim()) : row.credentials };
  }

  /** Encrypts credentials stored in clear before encryption existed; returns how many rows it encrypted. */
  async encryptLegacyCredentials(manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ tenantArs: string; credentials: string }[]>(
      `SELECT tenant_ars AS "tenantArs", credentials FROM payment.provider_configs WHERE credentials NOT LIKE 'enc:v1:%' FOR UPDATE`,
    );
    for (const r of rows) {
      await manager.query(`UPDATE payment.provider_configs SET credentials = $2 WHERE tenant_ars = $1`, [
        r.tenantArs,
        this.cipher.encrypt(r.credentials, r.tenantArs.trim()),
      ]);
    }
    return rows.length;
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
