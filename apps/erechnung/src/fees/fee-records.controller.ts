import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceException, Permission } from '@poststelle/platform';

@Controller('v1')
export class FeeRecordsController {
  constructor(private readonly dataSource: DataSource) {}

  @Permission('case:read')
  @Get('cases/:caseId/fee-record')
  async get(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT fee_id AS "feeId", invoice_candidate_id AS "invoiceCandidateId", amount::text AS amount, kassenzeichen, billing, recorded_at AS "recordedAt"
         FROM erechnung.fee_records WHERE case_id = $1`,
      [caseId],
    );
    if (!row) throw new ServiceException('FEE_RECORD_NOT_FOUND', 404, `no fee recorded for invoicing for case ${caseId}`);
    return { caseId, currency: 'EUR', ...row };
  }
}
