import { scopeCovers, type Principal, type TenantScope } from '@poststelle/platform';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';

/** Who changes: the subject and client of the verified access token (set by the guard on every admin route). */
export const author = (principal: Principal | undefined) => ({ subject: principal?.subject ?? 'unknown', clientId: principal?.clientId });

/**
 * A change that names a tenant the caller does not administer (ADR 0016): 403 `FOREIGN_TENANT`. The caller named the
 * ARS itself, so the answer reveals nothing; reads of another tenant's objects answer 404 instead.
 */
export function assertOwnTenant(scope: TenantScope, tenantArs: string, what: string): void {
  if (!scopeCovers(scope, tenantArs)) {
    throw new ErechnungException(ErechnungErrorCode.ForeignTenant, `${what}: tenant ${tenantArs} is not one you administer`);
  }
}
