import { tenantPrefixesOf, type Principal, type TenantScope } from '@poststelle/platform';

/**
 * What a caller may read in intake (ADR 0016): everything (platform-admin), the objects of its tenants (their ARS
 * starts with one of the caller's significant prefixes), and, for a channel client, what it handed in itself.
 * An object whose tenant is not known (a rejected input, a scan document nobody classified yet, mail to an address
 * no tenant owns) is visible to platform-admin only, and to the client that sent it.
 */
export interface ReadScope {
  all: boolean;
  /** Significant ARS prefixes of the caller's tenants, e.g. `12054` for `120540000000`. */
  arsPrefixes: string[];
  /** The channel client whose own submissions the caller may read back (client id, else subject). */
  submitter?: string;
}

/** The client a channel token belongs to (client id, else subject): recorded as `submitted_by`. */
export function submitterIdOf(principal: Principal): string {
  return principal.clientId ?? principal.subject;
}

/** The caller's scope; no principal (never on a route with a permission) sees nothing. */
export function readScopeOf(principal: Principal | undefined): ReadScope {
  if (!principal) return { all: false, arsPrefixes: [] };
  return {
    all: principal.roles.includes('platform-admin'),
    arsPrefixes: tenantPrefixesOf(principal.tenants),
    ...(principal.roles.includes('channel') ? { submitter: submitterIdOf(principal) } : {}),
  };
}

/** A tenant scope (the queue board's) as intake's read scope: the tenants only, never a channel's own submissions. */
export function readScopeOfTenants(scope: TenantScope): ReadScope {
  return scope.all ? { all: true, arsPrefixes: [] } : { all: false, arsPrefixes: [...scope.prefixes] };
}

/** The caller's own submissions only (to continue one it started, e.g. FIT-Connect uploads); platform-admin: all. */
export function ownScopeOf(principal: Principal | undefined): ReadScope {
  if (!principal) return { all: false, arsPrefixes: [] };
  return { all: principal.roles.includes('platform-admin'), arsPrefixes: [], submitter: submitterIdOf(principal) };
}

/** Whether an object of this tenant (ARS; null when not known) and this submitter is visible in the scope. */
export function inScope(scope: ReadScope, ars: string | null | undefined, submittedBy?: string | null): boolean {
  if (scope.all) return true;
  if (ars && scope.arsPrefixes.some((p) => ars.startsWith(p))) return true;
  return scope.submitter !== undefined && submittedBy === scope.submitter;
}

/** Whether the scope covers this tenant (ARS) itself: for writes into a tenant (mailboxes, clerk decisions). */
export function coversTenant(scope: ReadScope, ars: string): boolean {
  return scope.all || scope.arsPrefixes.some((p) => ars.startsWith(p));
}

/**
 * The scope as a SQL condition for a repository query (applied in the query, never filtered afterwards):
 * `tenant` and `submitter` are SQL expressions of the row; the values are appended to `params`.
 */
export function scopeCondition(scope: ReadScope, tenant: string, submitter: string | undefined, params: unknown[]): string {
  if (scope.all) return 'TRUE';
  const parts: string[] = [];
  if (scope.arsPrefixes.length > 0) {
    params.push(scope.arsPrefixes.map((p) => `${p}%`));
    parts.push(`${tenant} LIKE ANY($${params.length}::text[])`);
  }
  if (scope.submitter !== undefined && submitter) {
    params.push(scope.submitter);
    parts.push(`${submitter} = $${params.length}`);
  }
  return parts.length > 0 ? `(${parts.join(' OR ')})` : 'FALSE';
}

/** Everything: for intake's own work (processing, follow-up lookups), never for a caller. */
export const UNSCOPED: ReadScope = { all: true, arsPrefixes: [] };
