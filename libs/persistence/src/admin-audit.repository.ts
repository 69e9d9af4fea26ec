import { type EntityManager } from 'typeorm';

/** One record of an admin change: who (the token's subject and client), what, for which tenant, old and new value. */
export interface AdminAuditEntry {
  subject: string;
  clientId: string | undefined;
  /** The ARS or ARS prefix the change concerns (a procedure's or issuer's tenant, a rule's region): what an auditor is scoped by. */
  tenantArs: string;
  action: string;
  entity: string;
  entityId: string;
  oldValue: unknown;
  newValue: unknown;
}

/** The columns of an audit record as read back, for a service's own (tenant-scoped) read of its log. */
export const ADMIN_AUDIT_COLUMNS = `actor, client_id AS "clientId", tenant_ars AS "tenantArs", action, entity, entity_id AS "entityId",
  old_value AS "oldValue", new_value AS "newValue", at`;

/**
 * Writes a service's admin audit log, `<schema>.audit_log` (routing and erechnung keep the same columns): append-only,
 * in the transaction of the change it records, so a change is never without its record.
 */
export class AdminAuditLog {
  constructor(private readonly schema: string) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name '${schema}'`);
  }

  async record(manager: EntityManager, e: AdminAuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO "${this.schema}".audit_log (actor, client_id, tenant_ars, action, entity, entity_id, old_value, new_value)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        e.subject,
        e.clientId ?? null,
        e.tenantArs,
        e.action,
        e.entity,
        e.entityId,
        e.oldValue === undefined ? null : JSON.stringify(e.oldValue),
        e.newValue === undefined ? null : JSON.stringify(e.newValue),
      ],
    );
  }
}
