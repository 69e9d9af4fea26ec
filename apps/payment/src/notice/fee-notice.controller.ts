import { Controller, Get, Param, ParseUUIDPipe, Res, StreamableFile } from '@nestjs/common';
import { type Response } from 'express';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { FeeNoticeUseCase } from './fee-notice.use-case';

@Controller('v1')
export class FeeNoticeController {
  constructor(private readonly notice: FeeNoticeUseCase) {}

  /** The fee notice (PDF, German) with the Kassenzeichen, the amount, the payee's account and the due date. */
  @Permission('submission:read')
  @Get('cases/:caseId/payment/notice')
  async get(
    @Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string,
    @CurrentPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { pdf, sha512, fileName } = await this.notice.execute(principal, caseId);
    res.setHeader('etag', `"${sha512}"`);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="${fileName}"`, length: pdf.length });
  }
}
