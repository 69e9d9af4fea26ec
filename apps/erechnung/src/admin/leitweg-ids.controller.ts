import { Body, Controller, Param, Put } from '@nestjs/common';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { ARS, validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { parseLeitwegId } from '@poststelle/xrechnung';
import { ErechnungConfigUseCase } from './erechnung-config.use-case';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';

export class UpsertDestinationRequest {
  @Matches(ARS, { message: 'tenantArs must be a 12-digit ARS' }) tenantArs!: string;
  @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  /** The accounting system (or mailbox) the authority's invoices go to. */
  @IsString() @IsNotEmpty() @MaxLength(300) destination!: string;
}

/**
 * Which accounting destination receives invoices for a Leitweg-ID (per tenant). A tenant admin registers Leitweg-IDs
 * for its tenants only and cannot take over another tenant's (403 `FOREIGN_TENANT`); every change is audited.
 */
@Controller('v1/admin/leitweg-ids')
export class LeitwegIdsController {
  constructor(private readonly config: ErechnungConfigUseCase) {}

  @Permission('config:write')
  @Put(':leitwegId')
  async upsertDestination(@Param('leitwegId') leitwegId: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const parsed = parseLeitwegId(leitwegId);
    if (!parsed.valid)
      throw new ErechnungException(ErechnungErrorCode.InvalidLeitwegId, parsed.message, {
        errors: [{ field: 'leitwegId', message: parsed.message }],
      });
    const req = validateContract(UpsertDestinationRequest, body);
    const next = { leitwegId: parsed.id.value, tenantArs: req.tenantArs, name: req.name, destination: req.destination };
    await this.config.upsertDestination(next, principal);
    return { leitwegId: next.leitwegId, tenantArs: req.tenantArs, name: req.name, destination: req.destination };
  }
}
