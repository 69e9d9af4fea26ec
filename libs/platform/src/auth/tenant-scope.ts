import { ARS_PREFIX_LENGTHS } from '@poststelle/contracts';
import { type Principal } from './principal';

/**
 * Which regions a caller may see and change: every region (platform admin), or the regions under some ARS prefixes.
 * A principal's tenants are ARS prefixes; a full 12-digit ARS such as `120540000000` stands for its significant prefix
 * (`12054`, the Kreis), so an object of ARS `120540000000` or `120541234567` and a rule for prefix `12054` or
 * `120540001` are in that tenant, a rule for `12` (the whole Land) is not. The scope is applied in the repositories'
 * queries (`tenantScopeSql`), never filtered afterwards (ADR 0016).
 */
export type TenantScope = { readonly all: true } | { readonly all: false; readonly prefixes: readonly string[] };

export const ALL_TENANTS: TenantScope = { all: true };

/** The shortest ARS prefix (2, 3, 5, 9 or 12 digits) after which a 12-digit ARS has only zeros; anything else as given. */
export function significantPrefix(tenant: string): string {
  if (!/^\d{12}$/.test(tenant)) return tenant;
  const lengths = [...ARS_PREFIX_LENGTHS].sort((a, b) => a - b);
  for (const n of lengths) if (/^0*$/.test(tenant.slice(n))) return tenant.slice(0, n);
  return tenant;
}

/**
 * The region prefixes of tenant claims: a 12-digit ARS as its significant prefix, a prefix of 2, 3, 5 or 9 digits as
 * it is; any other claim (`1205`, `PS-ALL`) grants nothing.
 */
export function tenantPrefixesOf(tenants: readonly string[]): string[] {
  const valid = tenants.filter((t) => /^\d+$/.test(t) && (ARS_PREFIX_LENGTHS as readonly number[]).includes(t.length));
  return [...new Set(valid.map(significantPrefix))].sort();
}

/**
 * The scope of a caller's case and configuration reads and writes: a platform admin sees all; anyone else the
 * regions of its tenants, none when it has no tenants (no principal: none).
 */
export function tenantScopeOf(principal: Principal | undefined): TenantScope {
  if (!principal) return { all: false, prefixes: [] };
  if (principal.roles.includes('platform-admin')) return ALL_TENANTS;
  return { all: false, prefixes: tenantPrefixesOf(principal.tenants) };
}

/** Audit reads: an auditor with tenants sees theirs; one without tenants (and a platform admin) sees every tenant's. */
export function auditScopeOf(principal: Principal | undefined): TenantScope {
  if (principal && principal.tenants.length === 0) return ALL_TENANTS;
  return tenantScopeOf(principal);
}

/** Whether a 12-digit ARS, or an ARS prefix (a rule's region), lies within the scope. */
export function scopeCovers(scope: TenantScope, arsOrPrefix: string): boolean {
  if (scope.all) return true;
  return scope.prefixes.some((p) => arsOrPrefix.startsWith(p));
}

/** The query parameter for `tenantScopeSql`: `null` for all, else one `LIKE` pattern per prefix (digits only). */
export function tenantScopeParam(scope: TenantScope): string[] | null {
  return scope.all ? null : scope.prefixes.map((p) => `${p}%`);
}

/**
 * SQL condition: `column` (an ARS or prefix) lies within the scope passed as `param` (`tenantScopeParam`). An empty
 * scope matches nothing; a NULL column matches only the unrestricted scope.
 */
export function tenantScopeSql(column: string, param: string): string {
  return `(${param}::text[] IS NULL OR ${column} LIKE ANY(${param}::text[]))`;
}
