import { type Principal } from '@poststelle/platform';

/**
 * The significant prefix of a 12-digit ARS (Land 2, Regierungsbezirk 1, Kreis 2, Gemeindeverband 4, Gemeinde 3):
 * the shortest of the 2/3/5/9/12-digit prefixes after which only zeros follow, so `120540000000` covers `12054…`.
 */
export function significantPrefix(ars: string): string {
  for (const len of [2, 3, 5, 9]) {
    if (/^0*$/.test(ars.slice(len))) return ars.slice(0, len);
  }
  return ars;
}

/** True when the principal acts for the tenant that owns `tenantArs` (platform-admins act for all). */
export function actsFor(principal: Principal | undefined, tenantArs: string): boolean {
  if (!principal) return false;
  if (principal.roles.includes('platform-admin')) return true;
  return principal.tenants.some((t) => /^\d{2,12}$/.test(t) && tenantArs.startsWith(significantPrefix(t.padEnd(12, '0'))));
}

/** The journal's actor: the token's subject. */
export function actorOf(principal: Principal | undefined): string {
  return principal?.subject ?? 'anonymous';
}
