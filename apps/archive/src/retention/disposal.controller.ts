import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { actorOf } from '../efile/tenant-scope';
import { XDOMEA_VERSIONS, type XdomeaVersion } from '../xdomea/xsd-validator';
import { DisposalOffersUseCase } from './disposal-offers.use-case';
import { DisposalRepository } from './disposal.repository';
import { DisposalUseCase } from './disposal.use-case';
import { ArchiveErrorCode, ArchiveException } from '../archive.exception';

async function rawText(req: Request): Promise<string> {
  if (typeof req.body === 'string') return req.body;
  if (Buffer.isBuffer(req.body)) return req.body.toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Disposal runs (platform operators) and the xdomea exchange of their offers with the archive. */
@Controller('v1/archive')
export class DisposalController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly disposal: DisposalUseCase,
    private readonly offers: DisposalOffersUseCase,
    private readonly repo: DisposalRepository,
  ) {}

  /** Starts a disposal run; follow it at the `Location`. */
  @Permission('ops:repair')
  @Post('disposal-runs')
  @HttpCode(202)
  async start(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response) {
    const { runId } = await this.disposal.start('api', actorOf(principal));
    res.setHeader('location', `/v1/archive/disposal-runs/${runId}`);
    return { runId };
  }

  @Permission('ops:read')
  @Get('disposal-runs/:runId')
  async run(@Param('runId', new ParseUUIDPipe()) runId: string) {
    const run = await this.repo.run(this.dataSource.manager, runId);
    if (!run) throw new ArchiveException(ArchiveErrorCode.DisposalRunNotFound, `no disposal run ${runId}`);
    return run;
  }

  @Permission('ops:read')
  @Get('disposal-offers/:processId/0501')
  async offer(
    @Param('processId', new ParseUUIDPipe()) processId: string,
    @Query('version') requested: string | undefined,
    @Res() res: Response,
  ) {
    const version = (requested ?? '3.1.0') as XdomeaVersion;
    if (!XDOMEA_VERSIONS.includes(version))
      throw new ArchiveException(ArchiveErrorCode.UnsupportedVersion, `xdomea version ${requested} is not supported`);
    res
      .status(200)
      .type('application/xml')
      .send(await this.offers.offerMessage(processId, version));
  }

  /** The archive's answer to an offer: 0502 (appraisal per file) or 0504 (receipt, closes the offer), as XML. */
  @Permission('ops:repair')
  @Post('disposal-offers/:processId/answers')
  @HttpCode(200)
  async answer(@Param('processId', new ParseUUIDPipe()) processId: string, @Req() req: Request, @CurrentPrincipal() principal: Principal) {
    return this.offers.importAnswer(processId, await rawText(req), actorOf(principal));
  }

  @Permission('ops:read')
  @Get('deletion-records/:caseId')
  async deletionRecord(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    const record = await this.repo.deletionRecord(this.dataSource.manager, caseId);
    if (!record) throw new ArchiveException(ArchiveErrorCode.DeletionRecordNotFound, `no deletion record for case ${caseId}`);
    return record;
  }
}
