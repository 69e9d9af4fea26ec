import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { Journal } from '../journal/journal';
import { LegalHoldRepository } from '../retention/legal-hold.repository';
import { ExportFileUseCase } from '../xdomea/export-file.use-case';
import { XDOMEA_VERSIONS, type XdomeaVersion } from '../xdomea/xsd-validator';
import { FileAccess } from './file-access';
import { ReadFileUseCase } from './read-file.use-case';
import { actorOf } from './tenant-scope';
import { VerifyFileUseCase } from './verify-file.use-case';
import { ArchiveErrorCode, ArchiveException } from '../archive.exception';

export class HoldBody {
  @IsString() @MinLength(3) @MaxLength(1000) reason!: string;
}

const caseIdPipe = new ParseUUIDPipe({ version: '4' });

/** The e-file of a case: read, verify, xdomea export, legal holds. Every access is tenant-checked and journaled. */
@Controller('v1/cases/:caseId/file')
export class EFileController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: FileAccess,
    private readonly read: ReadFileUseCase,
    private readonly verify: VerifyFileUseCase,
    private readonly exporter: ExportFileUseCase,
    private readonly holds: LegalHoldRepository,
    private readonly journal: Journal,
  ) {}

  @Permission('case:read')
  @Get()
  async file(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    const file = await this.access.resolve(caseId, principal, 'read');
    return this.access.journaled(file, principal, 'file-read', async (manager) => ({
      result: await this.read.execute(manager, file),
      detail: {},
    }));
  }

  @Permission('case:read')
  @Get('verify')
  async verifyFile(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    const file = await this.access.resolve(caseId, principal, 'verify');
    // Verified before the verification is journaled, so the result describes the journal as it was found.
    const result = await this.verify.execute(this.dataSource.manager, file.fileId);
    await this.access.journaled(file, principal, 'file-verified', () =>
      Promise.resolve({ result: undefined, detail: { ok: result.ok, problems: result.problems.map((p) => p.code) } }),
    );
    return { ok: result.ok, problems: result.problems, checked: { journalEntries: result.entries, formats: result.formats } };
  }

  @Permission('case:read')
  @Get('xdomea')
  async xdomea(
    @Param('caseId', caseIdPipe) caseId: string,
    @Query('version') requested: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const version = (requested ?? '3.1.0') as XdomeaVersion;
    if (!XDOMEA_VERSIONS.includes(version)) {
      throw new ArchiveException(ArchiveErrorCode.UnsupportedVersion, `xdomea version ${requested} is not supported (3.0.0 or 3.1.0)`);
    }
    const file = await this.access.resolve(caseId, principal, 'export');
    const out = await this.access.journaled(file, principal, 'file-exported', async (manager) => {
      const result = await this.exporter.execute(manager, file, version);
      return { result, detail: { message: '0503', xdomeaVersion: version, processId: result.processId, documents: result.documents } };
    });
    res
      .status(200)
      .set({
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${out.processId}_0503.zip"`,
        'x-xdomea-process-id': out.processId,
      })
      .send(out.zip);
  }

  @Permission('config:write')
  @Post('holds')
  @HttpCode(201)
  async setHold(@Param('caseId', caseIdPipe) caseId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { reason } = validateContract(HoldBody, body);
    const file = await this.access.resolve(caseId, principal, 'set-hold');
    const holdId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await this.holds.set(manager, { holdId, fileId: file.fileId, reason, setBy: actorOf(principal) });
      await this.journal.append(manager, file.fileId, actorOf(principal), 'hold-set', { holdId, reason });
    });
    return { holdId, reason, setBy: actorOf(principal) };
  }

  @Permission('config:write')
  @Post('holds/:holdId/lift')
  @HttpCode(200)
  async liftHold(
    @Param('caseId', caseIdPipe) caseId: string,
    @Param('holdId', new ParseUUIDPipe()) holdId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { reason } = validateContract(HoldBody, body);
    const file = await this.access.resolve(caseId, principal, 'lift-hold');
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.holds.lift(manager, { holdId, fileId: file.fileId, reason, liftedBy: actorOf(principal) }))) {
        throw new ArchiveException(ArchiveErrorCode.HoldNotFound, `no active hold ${holdId} on this file`);
      }
      await this.journal.append(manager, file.fileId, actorOf(principal), 'hold-lifted', { holdId, reason });
    });
    return { holdId, lifted: true };
  }
}
