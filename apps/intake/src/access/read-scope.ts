import { type Principal } from '@poststelle/platform';

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

const PREFIX_LENGTHS = [2, 3, 5, 9, 12] as const;

/**
 * The significant prefix of a tenant claim: a 12-digit ARS stands for its region, i.e. the shortest ARS prefix
 * (Land 2, Regierungsbezirk 3, Kreis 5, Gemeindeverband 9, Gemeinde 12) after which only zeros follow
 * (`120540000000` → `12054`, Potsdam with everything in it). A claim that already is a prefix (2, 3, 5 or 9 digits)
 * is taken as it is; anything else grants nothing.
 */
export function significantPrefix(tenant: string): string | undefined {
  if (/^\d{12}$/.test(tenant)) {
    const n = PREFIX_LENGTHS.find((len) => /^0*$/.test(tenant.slice(len)));
    return tenant.slice(0, n);
  }
  return /^\d+$/.test(tenant) && (PREFIX_LENGTHS as readonly number[]).includes(tenant.length) ? tenant : undefined;
}

/** The client a channel token belongs to (client id, else subject): recorded as `submitted_by`. */
export function submitterIdOf(principal: Principal): string {
  return principal.clientId ?? principal.subject;
}

/** The caller's scope; no principal (never on a route with a permission) sees nothing. */
export function readScopeOf(principal: Principal | undefined): ReadScope {
  if (!principal) return { all: false, arsPrefixes: [] };
  const prefixes = principal.tenants.map(significantPrefix).filter((p): p is string => p !== undefined);
  return {
    all: principal.roles.includes('platform-admin'),
    arsPrefixes: [...new Set(prefixes)],
    ...(principal.roles.includes('channel') ? { submitter: submitterIdOf(principal) } : {}),
  };
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
