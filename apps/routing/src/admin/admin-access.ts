import { scopeCovers, type TenantScope } from '@poststelle/platform';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';

/**
 * What a tenant admin may change (ADR 0016): a write that names a region outside the admin's tenants is refused with
 * 403 `FOREIGN_TENANT` (the caller named it, so nothing is revealed); an existing rule of another tenant is not
 * there for the caller (404, exactly like a rule id that does not exist).
 */
export function assertOwnRegion(scope: TenantScope, arsOrPrefix: string, field: string): void {
  if (!scopeCovers(scope, arsOrPrefix)) {
    throw new RoutingException(RoutingErrorCode.ForeignTenant, `${field} ${arsOrPrefix} is not a region of a tenant you administer`);
  }
}

/** An existing procedure of another tenant cannot be taken over by naming its id. */
export function assertOwnProcedure(scope: TenantScope, existing: { tenantArs: string } | undefined, procedureId: string): void {
  if (existing && !scopeCovers(scope, existing.tenantArs)) {
    throw new RoutingException(RoutingErrorCode.ForeignTenant, `procedure '${procedureId}' belongs to a tenant you do not administer`);
  }
}

/** The latest version of a rule, if the caller may see it; otherwise the rule does not exist for the caller. */
export function visibleRule<R extends { arsPrefix: string }>(scope: TenantScope, rule: R | undefined): R | undefined {
  return rule && scopeCovers(scope, rule.arsPrefix) ? rule : undefined;
}
