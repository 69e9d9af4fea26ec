import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { ServiceException, Permission } from '@poststelle/platform';
import { readFeeInvoice, renderInvoiceHtml, renderReportHtml, type ValidationReport } from '@poststelle/xrechnung';

type Representation = 'ubl' | 'cii' | 'html' | 'json';

/** `?format=` wins; else Accept: text/html → page, application/json → metadata, anything else → UBL XML. */
export function representationOf(format: string | undefined, accept: string | undefined): Representation {
  if (format !== undefined) {
    if (format === 'ubl' || format === 'cii' || format === 'html' || format === 'json') return format;
    throw new ServiceException('UNSUPPORTED_FORMAT', 400, 'format must be one of ubl, cii, html, json', {
      errors: [{ field: 'format', message: 'one of ubl, cii, html, json' }],
    });
  }
  const a = accept ?? '';
  if (a.includes('text/html')) return 'html';
  if (a.includes('application/json')) return 'json';
  return 'ubl';
}

interface InvoiceRow {
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

const INVOICE_COLUMNS = `invoice_id AS "invoiceId", case_id AS "caseId", fee_id AS "feeId", tenant_ars AS "tenantArs",
  invoice_number AS "invoiceNumber", sequence::text AS sequence, issue_date::text AS "issueDate", due_date::text AS "dueDate",
  payable_amount::text AS "payableAmount", kassenzeichen, vat_category AS "vatCategory", ubl_sha512 AS "ublSha512",
  cii_sha512 AS "ciiSha512", issued_at AS "issuedAt"`;

const summary = (row: InvoiceRow) => ({
  invoiceId: row.invoiceId,
  caseId: row.caseId,
  feeId: row.feeId,
  tenantArs: row.tenantArs,
  invoiceNumber: row.invoiceNumber,
  sequence: Number(row.sequence),
  issueDate: row.issueDate,
  dueDate: row.dueDate,
  payableAmount: row.payableAmount,
  currency: 'EUR',
  kassenzeichen: row.kassenzeichen,
  vatCategory: row.vatCategory,
  documents: [
    { format: 'ubl', sha512: row.ublSha512, href: `/v1/invoices/outbound/${row.invoiceId}?format=ubl` },
    { format: 'cii', sha512: row.ciiSha512, href: `/v1/invoices/outbound/${row.invoiceId}?format=cii` },
  ],
  html: `/v1/invoices/outbound/${row.invoiceId}?format=html`,
  issuedAt: row.issuedAt,
});

/** Outbound fee invoices: the released XRechnung (UBL or CII), a readable page, and what could not be issued. */
@Controller('v1')
export class OutboundInvoicesController {
  constructor(private readonly dataSource: DataSource) {}

  @Permission('case:read')
  @Get('invoices/outbound/:invoiceId')
  async get(
    @Param('invoiceId', new ParseUUIDPipe({ version: '4' })) invoiceId: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const as = representationOf(format, accept);
    const [row] = await this.dataSource.query<(InvoiceRow & { ubl: string; cii: string })[]>(
      `SELECT ${INVOICE_COLUMNS}, ubl, cii FROM erechnung.outbound_invoices WHERE invoice_id = $1`,
      [invoiceId],
    );
    if (!row) throw new ServiceException('OUTBOUND_INVOICE_NOT_FOUND', 404, `no outbound invoice ${invoiceId}`);
    switch (as) {
      case 'ubl':
      case 'cii': {
        const fileName = `${row.invoiceNumber.replace(/[^\w.-]/g, '_')}-${as}.xml`;
        res
          .type('application/xml')
          .set('content-disposition', `inline; filename="${fileName}"`)
          .send(as === 'ubl' ? row.ubl : row.cii);
        return;
      }
      case 'html':
        res.type('text/html').send(renderInvoiceHtml(await readFeeInvoice(row.ubl)));
        return;
      case 'json':
        res.json(summary(row));
        return;
    }
  }

  /** The case's outbound invoice, or why there is none yet (the latest failures). */
  @Permission('case:read')
  @Get('cases/:caseId/outbound-invoice')
  async forCase(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    const [row] = await this.dataSource.query<InvoiceRow[]>(
      `SELECT ${INVOICE_COLUMNS} FROM erechnung.outbound_invoices WHERE case_id = $1`,
      [caseId],
    );
    if (row) return { status: 'issued', ...summary(row) };
    const failures = await this.dataSource.query<{ failureId: string; reason: string; missing: string[]; failedAt: string }[]>(
      `SELECT failure_id AS "failureId", reason, missing, failed_at AS "failedAt" FROM erechnung.outbound_invoice_failures
        WHERE case_id = $1 ORDER BY failed_at DESC LIMIT 10`,
      [caseId],
    );
    if (failures.length === 0) throw new ServiceException('OUTBOUND_INVOICE_NOT_FOUND', 404, `no outbound invoice for case ${caseId}`);
    return {
      status: 'not-issued',
      caseId,
      failures: failures.map((f) => ({ ...f, href: `/v1/invoices/outbound/failures/${f.failureId}` })),
    };
  }

  /** A fee that could not be invoiced: what was missing, or the engine's reports on the invoice it rejected. */
  @Permission('case:read')
  @Get('invoices/outbound/failures/:failureId')
  async failure(
    @Param('failureId', new ParseUUIDPipe({ version: '4' })) failureId: string,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const [row] = await this.dataSource.query<
      {
        failureId: string;
        feeId: string;
        caseId: string;
        tenantArs: string;
        reason: string;
        missing: string[];
        reports: { ubl: ValidationReport; cii: ValidationReport } | null;
        failedAt: string;
      }[]
    >(
      `SELECT failure_id AS "failureId", fee_id AS "feeId", case_id AS "caseId", tenant_ars AS "tenantArs", reason, missing, reports,
         failed_at AS "failedAt" FROM erechnung.outbound_invoice_failures WHERE failure_id = $1`,
      [failureId],
    );
    if (!row) throw new ServiceException('OUTBOUND_INVOICE_FAILURE_NOT_FOUND', 404, `no outbound invoice failure ${failureId}`);
    if ((accept ?? '').includes('text/html') && row.reports) {
      const rejected = row.reports.ubl.accepted ? row.reports.cii : row.reports.ubl;
      res.type('text/html').send(renderReportHtml(rejected, `Outbound invoice rejected by the engine (fee ${row.feeId})`));
      return;
    }
    res.json(row);
  }
}
