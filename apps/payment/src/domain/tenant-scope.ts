import { type Principal } from '@poststelle/platform';

const PREFIX_LENGTHS = [2, 3, 5, 9, 12];

/** The significant prefix of a tenant's ARS: `120540000000` → `12054` (trailing zero levels dropped). */
export function significantPrefix(ars: string): string {
  for (const n of PREFIX_LENGTHS) if (/^0*$/.test(ars.slice(n))) return ars.slice(0, n);
  return ars;
}

/** Whether the principal acts for the tenant (or region prefix) `ars`; a platform-admin acts for all. */
export function actsFor(principal: Principal | undefined, ars: string): boolean {
  if (!principal) return false;
  if (principal.roles.includes('platform-admin')) return true;
  return principal.tenants.some((t) => ars.startsWith(significantPrefix(t)));
}

/** SQL-ready scope: `null` for all tenants, else the significant prefixes (match with `LIKE prefix || '%'`). */
export function tenantPrefixes(principal: Principal | undefined): string[] | null {
  if (principal?.roles.includes('platform-admin')) return null;
  return (principal?.tenants ?? []).map(significantPrefix);
}
