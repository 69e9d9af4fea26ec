import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { type Response } from 'express';
import { CurrentPrincipal, Permission, tenantScopeOf, type Principal } from '@poststelle/platform';
import { renderReportHtml } from '@poststelle/xrechnung';
import { InvoiceReadsRepository } from './invoice-reads.repository';
import { ReceiveInvoiceUseCase } from './receive-invoice.use-case';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';

/** Inbound e-invoices: submit (channels), and the report and email answer (caseworkers of the invoice's tenant). */
@Controller('v1')
export class InvoicesController {
  constructor(
    private readonly reads: InvoiceReadsRepository,
    private readonly receive: ReceiveInvoiceUseCase,
  ) {}

  /** `POST /v1/invoices` (raw XML): 202 with the report when accepted, 422 problem details carrying it when not. */
  @Permission('submission:create')
  @Post('invoices')
  @HttpCode(202)
  async submit(@Body() body: unknown, @Headers('content-type') contentType: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (!Buffer.isBuffer(body) || !/^(application|text)\/xml\b/.test(contentType ?? '')) {
      throw new ErechnungException(
        ErechnungErrorCode.UnsupportedMediaType,
        'send the invoice as the request body with content-type application/xml',
      );
    }
    const result = await this.receive.execute(body);
    if (!result.accepted) {
      throw new ErechnungException(ErechnungErrorCode.InvoiceRejected, `the invoice was rejected: ${result.report.errorCount} error(s)`, {
        invoiceId: result.invoiceId,
        report: result.report,
      });
    }
    res.location(`/v1/invoices/${result.invoiceId}/report`);
    return {
      invoiceId: result.invoiceId,
      accepted: true,
      destination: result.destination,
      duplicateOf: result.duplicateOf,
      report: result.report,
    };
  }

  /** The validation report, as JSON or (Accept: text/html) as a page. */
  @Permission('case:read')
  @Get('invoices/:invoiceId/report')
  async report(
    @Param('invoiceId', new ParseUUIDPipe({ version: '4' })) invoiceId: string,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
    @CurrentPrincipal() principal?: Principal,
  ) {
    const row = await this.reads.inboundReport(invoiceId, tenantScopeOf(principal));
    if (!row) throw new ErechnungException(ErechnungErrorCode.InvoiceNotFound, `no invoice ${invoiceId}`);
    if ((accept ?? '').includes('text/html')) {
      res.type('text/html').send(renderReportHtml(row.report));
      return;
    }
    res.json({ invoiceId, duplicateOf: row.duplicate_of, ...row.report });
  }

  /**
   * The answer to an invoice received by email: state (`pending` | `sent` | `failed` | `withheld`), to whom on which
   * basis (`dkim-aligned-from` | `supplier-on-file`), or why it was withheld; attempts, last error.
   */
  @Permission('case:read')
  @Get('invoices/:invoiceId/reply')
  async reply(@Param('invoiceId', new ParseUUIDPipe({ version: '4' })) invoiceId: string, @CurrentPrincipal() principal?: Principal) {
    const row = await this.reads.reply(invoiceId, tenantScopeOf(principal));
    if (!row) throw new ErechnungException(ErechnungErrorCode.InvoiceReplyNotFound, `no email answer for invoice ${invoiceId}`);
    return {
      invoiceId,
      messageId: `<reply-${invoiceId}@poststelle>`,
      subject: row.subject,
      state: row.state,
      recipientBasis: row.recipient_basis,
      withheldReason: row.withheld_reason,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    };
  }
}
