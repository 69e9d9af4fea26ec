import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type FeeEventV1 } from '@poststelle/contracts';
import { type FeeInvoice, type ValidationReport } from '@poststelle/xrechnung';
import { type InvoiceIssuer } from './fee-invoice-model';

/** Every column of `erechnung.invoice_issuers` but the timestamps, as an {@link InvoiceIssuer}. */
export const ISSUER_COLUMNS = `tenant_ars AS "tenantArs", name, seller_identifier AS "sellerIdentifier", street, postal_code AS "postalCode", city,
  country, electronic_address AS "electronicAddress", contact_name AS "contactName", contact_phone AS "contactPhone",
  contact_email AS "contactEmail", iban, bic, account_name AS "accountName", vat_id AS "vatId", payment_days AS "paymentDays",
  number_prefix AS "numberPrefix"`;

export interface IssuedInvoice {
  invoiceId: string;
  invoiceNumber: string;
  sequence: number;
}

export interface NewOutboundInvoice {
  invoiceId: string;
  fee: FeeEventV1;
  sequence: number;
  invoice: FeeInvoice;
  payableAmount: string;
  ubl: string;
  cii: string;
  ublSha512: string;
  ciiSha512: string;
  reports: { ubl: ValidationReport; cii: ValidationReport };
}

export interface OutboundFailure {
  failureId: string;
  fee: FeeEventV1;
  reason: 'not-issuable' | 'invalid';
  missing?: string[];
  ubl?: string;
  cii?: string;
  reports?: { ubl: ValidationReport; cii: ValidationReport };
}

/**
 * Issuing fee invoices: the tenant's issuer, its gap-free number counter (`erechnung.invoice_counters`), the released
 * invoices (`erechnung.outbound_invoices`) and what could not be issued (`erechnung.outbound_invoice_failures`).
 */
@Injectable()
export class OutboundInvoicesRepository {
  async issuer(m: EntityManager, tenantArs: string): Promise<InvoiceIssuer | undefined> {
    const [row] = await m.query<InvoiceIssuer[]>(`SELECT ${ISSUER_COLUMNS} FROM erechnung.invoice_issuers WHERE tenant_ars = $1`, [
      tenantArs,
    ]);
    return row;
  }

  /**
   * The tenant's last issued number, its counter row locked until commit (created at 0 on first use): issuance is
   * serialised per tenant, so numbers have no gaps and no duplicates.
   */
  async lockCounter(m: EntityManager, tenantArs: string): Promise<number> {
    await m.query('INSERT INTO erechnung.invoice_counters (tenant_ars) VALUES ($1) ON CONFLICT (tenant_ars) DO NOTHING', [tenantArs]);
    const [counter] = await m.query<{ last: string }[]>(
      'SELECT last_number::text AS last FROM erechnung.invoice_counters WHERE tenant_ars = $1 FOR UPDATE',
      [tenantArs],
    );
    return Number(counter?.last ?? '0');
  }

  async issuedFor(m: EntityManager, feeId: string): Promise<IssuedInvoice | undefined> {
    const [row] = await m.query<{ invoiceId: string; invoiceNumber: string; sequence: string }[]>(
      `SELECT invoice_id AS "invoiceId", invoice_number AS "invoiceNumber", sequence::text AS sequence FROM erechnung.outbound_invoices WHERE fee_id = $1`,
      [feeId],
    );
    return row && { invoiceId: row.invoiceId, invoiceNumber: row.invoiceNumber, sequence: Number(row.sequence) };
  }

  /** Stores the released invoice and advances the tenant's counter to its number (the counter is locked). */
  async issue(m: EntityManager, i: NewOutboundInvoice): Promise<void> {
    const { fee, invoice } = i;
    await m.query(
      `INSERT INTO erechnung.outbound_invoices (invoice_id, fee_id, case_id, tenant_ars, sequence, invoice_number, issue_date, due_date,
         payable_amount, kassenzeichen, vat_category, model, ubl, cii, ubl_sha512, cii_sha512, reports)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        i.invoiceId,
        fee.feeId,
        fee.caseId,
        fee.tenantArs,
        i.sequence,
        invoice.number,
        invoice.issueDate,
        invoice.dueDate,
        i.payableAmount,
        invoice.payment.remittanceInformation,
        invoice.vat.category,
        JSON.stringify(invoice),
        i.ubl,
        i.cii,
        i.ublSha512,
        i.ciiSha512,
        JSON.stringify(i.reports),
      ],
    );
    await m.query('UPDATE erechnung.invoice_counters SET last_number = $2 WHERE tenant_ars = $1', [fee.tenantArs, i.sequence]);
  }

  async recordFailure(m: EntityManager, f: OutboundFailure): Promise<void> {
    await m.query(
      `INSERT INTO erechnung.outbound_invoice_failures (failure_id, fee_id, case_id, tenant_ars, reason, missing, ubl, cii, reports)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        f.failureId,
        f.fee.feeId,
        f.fee.caseId,
        f.fee.tenantArs,
        f.reason,
        f.missing ?? [],
        f.ubl ?? null,
        f.cii ?? null,
        f.reports ? JSON.stringify(f.reports) : null,
      ],
    );
  }
}
