import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { ARS, isValidProcedureId, validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { actorOf, actsFor } from '../efile/tenant-scope';
import { DEFAULT_FILE_SETTINGS, ProcedureSettingsRepository } from './procedure-settings.repository';
import { ArchiveErrorCode, ArchiveException } from '../archive.exception';

export class FileSettingsBody {
  @Matches(ARS) tenantArs!: string;
  @IsString() @MaxLength(100) filePlanUnit!: string;
  @IsString() @MaxLength(300) filePlanTitle!: string;
  /** xdomea Vertraulichkeitsstufe: 001 geheim, 002 NfD, 003 offen, 004 streng geheim, 005 vertraulich. */
  @IsIn(['001', '002', '003', '004', '005']) confidentiality!: string;
  /** Years after closing; absent or null: kept without limit. */
  @IsOptional() @IsInt() @Min(0) @Max(200) retentionYears?: number | null;
  @IsIn(['A', 'B', 'V']) disposalClass!: 'A' | 'B' | 'V';
}

/** Per-procedure e-file settings, applied to each file the procedure opens (tenant-admins of its tenant). */
@Controller('v1/admin/procedures')
export class ProcedureSettingsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ProcedureSettingsRepository,
  ) {}

  private procedureId(id: string): string {
    if (!isValidProcedureId(id)) throw new ArchiveException(ArchiveErrorCode.InvalidProcedureId, `invalid procedure id '${id}'`);
    return id;
  }

  @Permission('config:read')
  @Get(':procedureId/file-settings')
  async get(@Param('procedureId') id: string, @CurrentPrincipal() principal: Principal) {
    const s = await this.repo.get(this.dataSource.manager, this.procedureId(id));
    if (s && !actsFor(principal, s.tenantArs))
      throw new ArchiveException(ArchiveErrorCode.FileSettingsNotFound, `no file settings for procedure ${id}`);
    return s ?? { procedureId: id, ...DEFAULT_FILE_SETTINGS, default: true };
  }

  @Permission('config:write')
  @Put(':procedureId/file-settings')
  async put(@Param('procedureId') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const procedureId = this.procedureId(id);
    const settings = validateContract(FileSettingsBody, body);
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.repo.get(manager, procedureId);
      if ((existing && !actsFor(principal, existing.tenantArs)) || !actsFor(principal, settings.tenantArs)) {
        throw new ArchiveException(ArchiveErrorCode.FileSettingsNotFound, `no file settings for procedure ${procedureId} in your tenants`);
      }
      await this.repo.put(manager, {
        procedureId,
        ...settings,
        retentionYears: settings.retentionYears ?? null,
        updatedBy: actorOf(principal),
      });
      return this.repo.get(manager, procedureId);
    });
  }
}
