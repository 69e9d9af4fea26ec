import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

/** The account a tenant's fees are paid into, as printed on its fee notices. */
export interface Payee {
  tenantArs: string;
  authorityName: string;
  accountHolder: string;
  iban: string;
  bic: string | null;
  /** Days from the notice to its due date. */
  paymentDays: number;
}

const COLUMNS = `tenant_ars AS "tenantArs", authority_name AS "authorityName", account_holder AS "accountHolder", iban, bic,
  payment_days AS "paymentDays"`;

/** Payees and their audit (all SQL of `payment.payees` and `payment.payee_audit`). */
@Injectable()
export class PayeeRepository {
  async get(manager: EntityManager, tenantArs: string): Promise<Payee | undefined> {
    const [row] = await manager.query<Payee[]>(`SELECT ${COLUMNS} FROM payment.payees WHERE tenant_ars = $1`, [tenantArs]);
    return row;
  }

  /** Sets the payee and audits the change (old and new value, the IBAN included) under the actor. */
  async set(manager: EntityManager, p: Payee, actor: string): Promise<void> {
    const [previous] = await manager.query<Payee[]>(`SELECT ${COLUMNS} FROM payment.payees WHERE tenant_ars = $1 FOR UPDATE`, [
      p.tenantArs,
    ]);
    await manager.query(
      `INSERT INTO payment.payees (tenant_ars, authority_name, account_holder, iban, bic, payment_days, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_ars) DO UPDATE SET authority_name = $2, account_holder = $3, iban = $4, bic = $5, payment_days = $6, updated_by = $7,
         updated_at = now()`,
      [p.tenantArs, p.authorityName, p.accountHolder, p.iban, p.bic, p.paymentDays, actor],
    );
    await manager.query(`INSERT INTO payment.payee_audit (tenant_ars, actor, previous, current) VALUES ($1, $2, $3, $4)`, [
      p.tenantArs,
      actor,
      previous ? JSON.stringify(previous) : null,
      JSON.stringify(p),
    ]);
  }

  async audit(manager: EntityManager, prefixes: string[] | null): Promise<unknown[]> {
    return manager.query(
      `SELECT audit_id::int AS "auditId", tenant_ars AS "tenantArs", actor, previous, current, at FROM payment.payee_audit
        WHERE $1::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE tenant_ars LIKE p || '%') ORDER BY audit_id`,
      [prefixes],
    );
  }
}
