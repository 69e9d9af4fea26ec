import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AdminAuditLog, ADMIN_AUDIT_COLUMNS, type AdminAuditEntry } from '@poststelle/persistence';
import { tenantScopeParam, tenantScopeSql, type TenantScope } from '@poststelle/platform';
import { type InvoiceIssuer } from '../outbound/fee-invoice-model';
import { ISSUER_COLUMNS } from '../outbound/outbound-invoices.repository';

/** An issuer as stored: every column of `erechnung.invoice_issuers` except the timestamps. */
export type IssuerValues = InvoiceIssuer;

export interface DestinationValues {
  leitwegId: string;
  tenantArs: string;
  name: string;
  destination: string;
}

/** One audit record: who (the token's subject and client), what, for which tenant or region, old and new value. */
export type AuditEntry = AdminAuditEntry;

/**
 * erechnung's configuration (invoice issuers, Leitweg-ID destinations) and its audit log. Every change is written
 * with its audit record in one transaction; reads are scoped to the caller's tenants in the query.
 */
@Injectable()
export class ErechnungAdminRepository {
  private readonly auditTrail = new AdminAuditLog('erechnung');

  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async issuer(m: EntityManager, tenantArs: string, scope: TenantScope, lock = false): Promise<IssuerValues | undefined> {
    const [row] = await m.query<IssuerValues[]>(
      `SELECT ${ISSUER_COLUMNS} FROM erechnung.invoice_issuers WHERE tenant_ars = $1 AND ${tenantScopeSql('tenant_ars', '$2')}
        ${lock ? 'FOR UPDATE' : ''}`,
      [tenantArs, tenantScopeParam(scope)],
    );
    return row;
  }

  readIssuer(tenantArs: string, scope: TenantScope): Promise<IssuerValues | undefined> {
    return this.issuer(this.dataSource.manager, tenantArs, scope);
  }

  async upsertIssuer(m: EntityManager, v: IssuerValues): Promise<IssuerValues> {
    const [row] = await m.query<IssuerValues[]>(
      `INSERT INTO erechnung.invoice_issuers (tenant_ars, name, seller_identifier, street, postal_code, city, country, electronic_address,
         contact_name, contact_phone, contact_email, iban, bic, account_name, vat_id, payment_days, number_prefix)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (tenant_ars) DO UPDATE SET name = $2, seller_identifier = $3, street = $4, postal_code = $5, city = $6, country = $7,
         electronic_address = $8, contact_name = $9, contact_phone = $10, contact_email = $11, iban = $12, bic = $13, account_name = $14,
         vat_id = $15, payment_days = $16, number_prefix = $17, updated_at = now()
       RETURNING ${ISSUER_COLUMNS}`,
      [
        v.tenantArs,
        v.name,
        v.sellerIdentifier,
        v.street ?? null,
        v.postalCode,
        v.city,
        v.country,
        v.electronicAddress,
        v.contactName,
        v.contactPhone,
        v.contactEmail,
        v.iban,
        v.bic ?? null,
        v.accountName ?? null,
        v.vatId ?? null,
        v.paymentDays,
        v.numberPrefix,
      ],
    );
    return row!;
  }

  /** The destination of a Leitweg-ID, whoever's it is (locked), to tell a change from a takeover. */
  async destinationForUpdate(m: EntityManager, leitwegId: string): Promise<DestinationValues | undefined> {
    const [row] = await m.query<DestinationValues[]>(
      `SELECT leitweg_id AS "leitwegId", tenant_ars AS "tenantArs", name, destination FROM erechnung.accounting_destinations
        WHERE leitweg_id = $1 FOR UPDATE`,
      [leitwegId],
    );
    return row;
  }

  async upsertDestination(m: EntityManager, v: DestinationValues): Promise<void> {
    await m.query(
      `INSERT INTO erechnung.accounting_destinations (leitweg_id, tenant_ars, name, destination) VALUES ($1, $2, $3, $4)
       ON CONFLICT (leitweg_id) DO UPDATE SET tenant_ars = $2, name = $3, destination = $4, updated_at = now()`,
      [v.leitwegId, v.tenantArs, v.name, v.destination],
    );
  }

  audit(m: EntityManager, e: AuditEntry): Promise<void> {
    return this.auditTrail.record(m, e);
  }

  /** The audit trail, oldest first, optionally of one entity; `actor` is the subject of the token that made the change. */
  auditLog(scope: TenantScope, filter: { entity?: string | undefined; entityId?: string | undefined }): Promise<Record<string, unknown>[]> {
    return this.dataSource.query(
      `SELECT ${ADMIN_AUDIT_COLUMNS}
         FROM erechnung.audit_log
        WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2) AND ${tenantScopeSql('tenant_ars', '$3')}
        ORDER BY id`,
      [filter.entity ?? null, filter.entityId ?? null, tenantScopeParam(scope)],
    );
  }
}
