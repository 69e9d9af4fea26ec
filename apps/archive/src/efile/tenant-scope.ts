import { scopeCovers, tenantScopeOf, type Principal } from '@poststelle/platform';

/** True when the principal acts for the tenant that owns `tenantArs` (platform-admins act for all; ADR 0016). */
export function actsFor(principal: Principal | undefined, tenantArs: string): boolean {
  return principal !== undefined && scopeCovers(tenantScopeOf(principal), tenantArs);
}

/** The journal's actor: the token's subject. */
export function actorOf(principal: Principal | undefined): string {
  return principal?.subject ?? 'anonymous';
}
