import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { tenantScopeParam, tenantScopeSql, type TenantScope } from '@poststelle/platform';
import { type ValidationReport } from '@poststelle/xrechnung';

/**
 * An inbound invoice belongs to the tenant its Leitweg-ID resolved to or, when it did not resolve, to the tenant of
 * the invoice mailbox it was emailed to; one that is neither (posted over HTTP with an unknown Leitweg-ID) only a
 * platform admin reads.
 */
const INBOUND_TENANT = `coalesce(i.tenant_ars::text, i.source->>'tenantArs')`;

export interface OutboundInvoiceRow {
  invoiceId: string;
  caseId: string;
  feeId: string;
  tenantArs: string;
  invoiceNumber: string;
  sequence: string;
  issueDate: string;
  dueDate: string;
  payableAmount: string;
  kassenzeichen: string;
  vatCategory: string;
  ublSha512: string;
  ciiSha512: string;
  issuedAt: string;
}

export interface OutboundFailureRow {
  failureId: string;
  feeId: string;
  caseId: string;
  tenantArs: string;
  reason: string;
  missing: string[];
  reports: { ubl: ValidationReport; cii: ValidationReport } | null;
  failedAt: string;
}

export interface InvoiceReplyRow {
  subject: string;
  state: string;
  recipient_basis: string | null;
  withheld_reason: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const OUTBOUND_COLUMNS = `invoice_id AS "invoiceId", case_id AS "caseId", fee_id AS "feeId", tenant_ars AS "tenantArs",
  invoice_number AS "invoiceNumber", sequence::text AS sequence, issue_date::text AS "issueDate", due_date::text AS "dueDate",
  payable_amount::text AS "payableAmount", kassenzeichen, vat_category AS "vatCategory", ubl_sha512 AS "ublSha512",
  cii_sha512 AS "ciiSha512", issued_at AS "issuedAt"`;

/** What caseworkers read in erechnung, each scoped to their tenants in the query: another tenant's is not there. */
@Injectable()
export class InvoiceReadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async inboundReport(
    invoiceId: string,
    scope: TenantScope,
  ): Promise<{ report: ValidationReport; duplicate_of: string | null } | undefined> {
    const [row] = await this.dataSource.query<{ report: ValidationReport; duplicate_of: string | null }[]>(
      `SELECT report, duplicate_of FROM erechnung.inbound_invoices i WHERE invoice_id = $1 AND ${tenantScopeSql(INBOUND_TENANT, '$2')}`,
      [invoiceId, tenantScopeParam(scope)],
    );
    return row;
  }

  async reply(invoiceId: string, scope: TenantScope): Promise<InvoiceReplyRow | undefined> {
    const [row] = await this.dataSource.query<InvoiceReplyRow[]>(
      `SELECT r.subject, r.state, r.recipient_basis, r.withheld_reason, r.attempts, r.last_error, r.created_at, r.sent_at
         FROM erechnung.invoice_replies r JOIN erechnung.inbound_invoices i USING (invoice_id)
        WHERE r.invoice_id = $1 AND ${tenantScopeSql(INBOUND_TENANT, '$2')}`,
      [invoiceId, tenantScopeParam(scope)],
    );
    return row;
  }

  async outbound(invoiceId: string, scope: TenantScope): Promise<(OutboundInvoiceRow & { ubl: string; cii: string }) | undefined> {
    const [row] = await this.dataSource.query<(OutboundInvoiceRow & { ubl: string; cii: string })[]>(
      `SELECT ${OUTBOUND_COLUMNS}, ubl, cii FROM erechnung.outbound_invoices WHERE invoice_id = $1 AND ${tenantScopeSql('tenant_ars', '$2')}`,
      [invoiceId, tenantScopeParam(scope)],
    );
    return row;
  }

  async outboundForCase(caseId: string, scope: TenantScope): Promise<OutboundInvoiceRow | undefined> {
    const [row] = await this.dataSource.query<OutboundInvoiceRow[]>(
      `SELECT ${OUTBOUND_COLUMNS} FROM erechnung.outbound_invoices WHERE case_id = $1 AND ${tenantScopeSql('tenant_ars', '$2')}`,
      [caseId, tenantScopeParam(scope)],
    );
    return row;
  }

  failuresForCase(
    caseId: string,
    scope: TenantScope,
  ): Promise<{ failureId: string; reason: string; missing: string[]; failedAt: string }[]> {
    return this.dataSource.query(
      `SELECT failure_id AS "failureId", reason, missing, failed_at AS "failedAt" FROM erechnung.outbound_invoice_failures
        WHERE case_id = $1 AND ${tenantScopeSql('tenant_ars', '$2')} ORDER BY failed_at DESC LIMIT 10`,
      [caseId, tenantScopeParam(scope)],
    );
  }

  async failure(failureId: string, scope: TenantScope): Promise<OutboundFailureRow | undefined> {
    const [row] = await this.dataSource.query<OutboundFailureRow[]>(
      `SELECT failure_id AS "failureId", fee_id AS "feeId", case_id AS "caseId", tenant_ars AS "tenantArs", reason, missing, reports,
         failed_at AS "failedAt" FROM erechnung.outbound_invoice_failures WHERE failure_id = $1 AND ${tenantScopeSql('tenant_ars', '$2')}`,
      [failureId, tenantScopeParam(scope)],
    );
    return row;
  }

  async feeRecord(caseId: string, scope: TenantScope): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT fee_id AS "feeId", invoice_candidate_id AS "invoiceCandidateId", amount::text AS amount, kassenzeichen, billing, recorded_at AS "recordedAt"
         FROM erechnung.fee_records WHERE case_id = $1 AND ${tenantScopeSql('tenant_ars', '$2')}`,
      [caseId, tenantScopeParam(scope)],
    );
    return row;
  }
}
