import { Injectable } from '@nestjs/common';
import { scopeCovers, tenantScopeOf, type Principal } from '@poststelle/platform';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';
import { type InvoiceIssuer } from '../outbound/fee-invoice-model';
import { assertOwnTenant, author } from './admin-access';
import { ErechnungAdminRepository, type DestinationValues } from './erechnung-admin.repository';

/**
 * Changes to erechnung's configuration: a tenant's invoice issuer and the destinations of Leitweg-IDs. A tenant admin
 * changes only its tenants' (403 `FOREIGN_TENANT`, also for taking over another tenant's Leitweg-ID); every change
 * is written with its audit record (the token's subject and client, old and new value) in one transaction.
 */
@Injectable()
export class ErechnungConfigUseCase {
  constructor(private readonly repository: ErechnungAdminRepository) {}

  async upsertIssuer(next: InvoiceIssuer, principal: Principal | undefined): Promise<InvoiceIssuer> {
    const scope = tenantScopeOf(principal);
    assertOwnTenant(scope, next.tenantArs, 'invoice issuer');
    return await this.repository.transaction(async (m) => {
      const old = await this.repository.issuer(m, next.tenantArs, scope, true);
      const row = await this.repository.upsertIssuer(m, next);
      await this.repository.audit(m, {
        ...author(principal),
        tenantArs: next.tenantArs,
        action: old ? 'issuer.updated' : 'issuer.created',
        entity: 'invoice-issuer',
        entityId: next.tenantArs,
        oldValue: old,
        newValue: row,
      });
      return row;
    });
  }

  async upsertDestination(next: DestinationValues, principal: Principal | undefined): Promise<void> {
    const scope = tenantScopeOf(principal);
    assertOwnTenant(scope, next.tenantArs, 'Leitweg-ID destination');
    await this.repository.transaction(async (m) => {
      const old = await this.repository.destinationForUpdate(m, next.leitwegId);
      if (old && !scopeCovers(scope, old.tenantArs)) {
        throw new ErechnungException(
          ErechnungErrorCode.ForeignTenant,
          `Leitweg-ID ${next.leitwegId} belongs to a tenant you do not administer`,
        );
      }
      await this.repository.upsertDestination(m, next);
      await this.repository.audit(m, {
        ...author(principal),
        tenantArs: next.tenantArs,
        action: old ? 'leitweg-id.updated' : 'leitweg-id.created',
        entity: 'leitweg-id',
        entityId: next.leitwegId,
        oldValue: old,
        newValue: next,
      });
    });
  }
}
