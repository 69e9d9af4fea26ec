import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { CurrentPrincipal, Permission, tenantScopeOf, type Principal } from '@poststelle/platform';
import { InvoiceReadsRepository } from '../invoices/invoice-reads.repository';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';

/** The fee recorded for invoicing, scoped to the caller's tenants (another tenant's case: 404). */
@Controller('v1')
export class FeeRecordsController {
  constructor(private readonly reads: InvoiceReadsRepository) {}

  @Permission('case:read')
  @Get('cases/:caseId/fee-record')
  async get(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal?: Principal) {
    const row = await this.reads.feeRecord(caseId, tenantScopeOf(principal));
    if (!row) throw new ErechnungException(ErechnungErrorCode.FeeRecordNotFound, `no fee recorded for invoicing for case ${caseId}`);
    return { caseId, currency: 'EUR', ...row };
  }
}
