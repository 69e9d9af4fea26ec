import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { CurrentPrincipal, Permission, tenantScopeOf, type Principal } from '@poststelle/platform';
import { readFeeInvoice, renderInvoiceHtml, renderReportHtml } from '@poststelle/xrechnung';
import { InvoiceReadsRepository, type OutboundInvoiceRow } from '../invoices/invoice-reads.repository';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';

type Representation = 'ubl' | 'cii' | 'html' | 'json';

/** `?format=` wins; else Accept: text/html → page, application/json → metadata, anything else → UBL XML. */
export function representationOf(format: string | undefined, accept: string | undefined): Representation {
  if (format !== undefined) {
    if (format === 'ubl' || format === 'cii' || format === 'html' || format === 'json') return format;
    throw new ErechnungException(ErechnungErrorCode.UnsupportedFormat, 'format must be one of ubl, cii, html, json', {
      errors: [{ field: 'format', message: 'one of ubl, cii, html, json' }],
    });
  }
  const a = accept ?? '';
  if (a.includes('text/html')) return 'html';
  if (a.includes('application/json')) return 'json';
  return 'ubl';
}

const summary = (row: OutboundInvoiceRow) => ({
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

/**
 * Outbound fee invoices: the released XRechnung (UBL or CII), a readable page, and what could not be issued. Scoped to
 * the caller's tenants: another tenant's invoice or case answers 404.
 */
@Controller('v1')
export class OutboundInvoicesController {
  constructor(private readonly reads: InvoiceReadsRepository) {}

  @Permission('case:read')
  @Get('invoices/outbound/:invoiceId')
  async get(
    @Param('invoiceId', new ParseUUIDPipe({ version: '4' })) invoiceId: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<void> {
    const as = representationOf(format, accept);
    const row = await this.reads.outbound(invoiceId, tenantScopeOf(principal));
    if (!row) throw new ErechnungException(ErechnungErrorCode.OutboundInvoiceNotFound, `no outbound invoice ${invoiceId}`);
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
  async forCase(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal?: Principal) {
    const scope = tenantScopeOf(principal);
    const row = await this.reads.outboundForCase(caseId, scope);
    if (row) return { status: 'issued', ...summary(row) };
    const failures = await this.reads.failuresForCase(caseId, scope);
    if (failures.length === 0)
      throw new ErechnungException(ErechnungErrorCode.OutboundInvoiceNotFound, `no outbound invoice for case ${caseId}`);
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
    @CurrentPrincipal() principal?: Principal,
  ): Promise<void> {
    const row = await this.reads.failure(failureId, tenantScopeOf(principal));
    if (!row) throw new ErechnungException(ErechnungErrorCode.OutboundInvoiceFailureNotFound, `no outbound invoice failure ${failureId}`);
    if ((accept ?? '').includes('text/html') && row.reports) {
      const rejected = row.reports.ubl.accepted ? row.reports.cii : row.reports.ubl;
      res.type('text/html').send(renderReportHtml(rejected, `Outbound invoice rejected by the engine (fee ${row.feeId})`));
      return;
    }
    res.json(row);
  }
}
