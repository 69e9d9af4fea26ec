import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { type Response } from 'express';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { ARS, validateContract } from '@poststelle/contracts';
import { ServiceException, Permission } from '@poststelle/platform';
import { parseLeitwegId, renderReportHtml, type ValidationReport } from '@poststelle/xrechnung';
import { ReceiveInvoiceUseCase } from './receive-invoice.use-case';

export class UpsertDestinationRequest {
  @Matches(ARS, { message: 'tenantArs must be a 12-digit ARS' }) tenantArs!: string;
  @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  /** The accounting system (or mailbox) the authority's invoices go to. */
  @IsString() @IsNotEmpty() @MaxLength(300) destination!: string;
}

@Controller('v1')
export class InvoicesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly receive: ReceiveInvoiceUseCase,
  ) {}

  /** `POST /v1/invoices` (raw XML): 202 with the report when accepted, 422 problem details carrying it when not. */
  @Permission('submission:create')
  @Post('invoices')
  @HttpCode(202)
  async submit(@Body() body: unknown, @Headers('content-type') contentType: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (!Buffer.isBuffer(body) || !/^(application|text)\/xml\b/.test(contentType ?? '')) {
      throw new ServiceException('UNSUPPORTED_MEDIA_TYPE', 415, 'send the invoice as the request body with content-type application/xml');
    }
    const result = await this.receive.execute(body);
    if (!result.accepted) {
      throw new ServiceException('INVOICE_REJECTED', 422, `the invoice was rejected: ${result.report.errorCount} error(s)`, {
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
  ) {
    const [row] = await this.dataSource.query<{ report: ValidationReport; duplicate_of: string | null }[]>(
      'SELECT report, duplicate_of FROM erechnung.inbound_invoices WHERE invoice_id = $1',
      [invoiceId],
    );
    if (!row) throw new ServiceException('INVOICE_NOT_FOUND', 404, `no invoice ${invoiceId}`);
    if ((accept ?? '').includes('text/html')) {
      res.type('text/html').send(renderReportHtml(row.report));
      return;
    }
    res.json({ invoiceId, duplicateOf: row.duplicate_of, ...row.report });
  }

  /** The answer to an invoice received by email: state (`pending` | `sent` | `failed`), attempts, last error. */
  @Permission('case:read')
  @Get('invoices/:invoiceId/reply')
  async reply(@Param('invoiceId', new ParseUUIDPipe({ version: '4' })) invoiceId: string) {
    const [row] = await this.dataSource.query<
      { subject: string; state: string; attempts: number; last_error: string | null; created_at: Date; sent_at: Date | null }[]
    >('SELECT subject, state, attempts, last_error, created_at, sent_at FROM erechnung.invoice_replies WHERE invoice_id = $1', [invoiceId]);
    if (!row) throw new ServiceException('INVOICE_REPLY_NOT_FOUND', 404, `no email answer for invoice ${invoiceId}`);
    return {
      invoiceId,
      messageId: `<reply-${invoiceId}@poststelle>`,
      subject: row.subject,
      state: row.state,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    };
  }

  /** Which accounting destination receives invoices for a Leitweg-ID (per tenant). */
  @Permission('config:write')
  @Put('admin/leitweg-ids/:leitwegId')
  async upsertDestination(@Param('leitwegId') leitwegId: string, @Body() body: unknown) {
    const parsed = parseLeitwegId(leitwegId);
    if (!parsed.valid)
      throw new ServiceException('INVALID_LEITWEG_ID', 422, parsed.message, { errors: [{ field: 'leitwegId', message: parsed.message }] });
    const req = validateContract(UpsertDestinationRequest, body);
    await this.dataSource.query(
      `INSERT INTO erechnung.accounting_destinations (leitweg_id, tenant_ars, name, destination) VALUES ($1, $2, $3, $4)
       ON CONFLICT (leitweg_id) DO UPDATE SET tenant_ars = $2, name = $3, destination = $4, updated_at = now()`,
      [parsed.id.value, req.tenantArs, req.name, req.destination],
    );
    return { leitwegId: parsed.id.value, ...req };
  }
}
