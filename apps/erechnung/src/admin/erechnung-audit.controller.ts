import { Controller, Get, Query } from '@nestjs/common';
import { CurrentPrincipal, Permission, auditScopeOf, type Principal } from '@poststelle/platform';
import { ErechnungAdminRepository } from './erechnung-admin.repository';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';

const ENTITIES = ['invoice-issuer', 'leitweg-id'];

/**
 * `GET /v1/admin/invoice-audit-log`: every change to invoice issuers (IBAN included) and Leitweg-ID destinations, with the
 * token's subject and client. An auditor with tenants sees theirs; one without tenants every tenant's.
 */
@Controller('v1/admin')
export class ErechnungAuditController {
  constructor(private readonly repository: ErechnungAdminRepository) {}

  @Permission('audit:read')
  @Get('invoice-audit-log')
  auditLog(@Query('entity') entity?: string, @Query('entityId') entityId?: string, @CurrentPrincipal() principal?: Principal) {
    if (entity !== undefined && !ENTITIES.includes(entity)) {
      throw new ErechnungException(ErechnungErrorCode.InvalidQuery, `entity must be one of ${ENTITIES.join(', ')}`, {
        errors: [{ field: 'entity', message: `one of ${ENTITIES.join(', ')}` }],
      });
    }
    return this.repository.auditLog(auditScopeOf(principal), { entity, entityId });
  }
}
