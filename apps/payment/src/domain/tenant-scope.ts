import { scopeCovers, tenantScopeOf, type Principal } from '@poststelle/platform';

/** Whether the principal acts for the tenant (or region prefix) `ars` (ADR 0016: significant prefixes; platform-admin all). */
export function actsFor(principal: Principal | undefined, ars: string): boolean {
  return scopeCovers(tenantScopeOf(principal), ars);
}

/** The repositories' scope parameter: `null` for all tenants, else the region prefixes (matched with `LIKE prefix || '%'`). */
export function tenantPrefixes(principal: Principal | undefined): string[] | null {
  const scope = tenantScopeOf(principal);
  return scope.all ? null : [...scope.prefixes];
}
