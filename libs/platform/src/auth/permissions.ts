/**
 * What a route may require, and which role grants what: the one place access is decided (ADR 0015).
 * A route declares one permission (`@Permission(...)`) or is `@Public()`; a route with neither stops start-up.
 */
export const PERMISSIONS = [
  /** Hand in applications, bundles, emails, scan batches, FIT-Connect submissions, e-invoices. */
  'submission:create',
  /** Read back what was handed in: submission, rejection, scan batch, FIT-Connect events. */
  'submission:read',
  /** Read cases and everything about them: routing, status, notifications, fee, payment, e-file, invoices, mail. */
  'case:read',
  /** Work the queues: manual routing, scan classification. */
  'queue:work',
  /** Record that a fee was paid back (a refund): caseworkers and tenant-admins. */
  'payment:refund',
  /** Read the configuration: procedures, routing rules, mailboxes, classification rules, invoice issuers. */
  'config:read',
  /** Change it: procedures, routing rules, fees, mailboxes, classification rules, invoice issuers, Leitweg-IDs. */
  'config:write',
  /** Read audit logs (routing admin changes, repairs). */
  'audit:read',
  /** Read dead letters and parked outbox rows. */
  'ops:read',
  /** Replay, retry or discard them. */
  'ops:repair',
] as const;
export type PermissionName = (typeof PERMISSIONS)[number];

export const ROLES = ['channel', 'caseworker', 'tenant-admin', 'auditor', 'platform-admin'] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Readonly<Record<RoleName, readonly PermissionName[]>> = {
  channel: ['submission:create', 'submission:read'],
  caseworker: ['case:read', 'submission:read', 'queue:work', 'payment:refund'],
  'tenant-admin': ['config:read', 'config:write', 'payment:refund'],
  auditor: ['audit:read'],
  'platform-admin': PERMISSIONS,
};

/** The permissions the given roles grant together; unknown role names grant nothing. */
export function permissionsOf(roles: readonly string[]): Set<PermissionName> {
  const granted = new Set<PermissionName>();
  for (const role of roles) {
    for (const p of ROLE_PERMISSIONS[role as RoleName] ?? []) granted.add(p);
  }
  return granted;
}
