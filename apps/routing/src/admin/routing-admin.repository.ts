import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AdminAuditLog, ADMIN_AUDIT_COLUMNS, type AdminAuditEntry } from '@poststelle/persistence';
import { tenantScopeParam, tenantScopeSql, type TenantScope } from '@poststelle/platform';

export interface ProcedureRow {
  procedureId: string;
  tenantArs: string;
  name: string;
  topic: string;
  requiredLevelOfAssurance: string;
  writtenFormRequired: boolean;
  acceptedSchemas: string[];
  active: boolean;
}

export interface RuleRow {
  ruleId: string;
  version: number;
  leikaKey: string;
  arsPrefix: string;
  procedureId: string;
  validFrom: Date;
  validTo: Date | null;
}

export interface NewRuleVersion {
  ruleId: string;
  version: number;
  leikaKey: string;
  arsPrefix: string;
  procedureId: string;
  validFrom?: string | undefined;
  validTo?: string | undefined;
}

/** One audit record: who (the token's subject and client), what, for which tenant or region, old and new value. */
export type AuditEntry = AdminAuditEntry;

const PROCEDURE_COLUMNS = `procedure_id AS "procedureId", tenant_ars AS "tenantArs", name, topic,
  required_level_of_assurance AS "requiredLevelOfAssurance", written_form_required AS "writtenFormRequired",
  accepted_schemas AS "acceptedSchemas", active`;

const RULE_COLUMNS = `rule_id AS "ruleId", version, leika_key AS "leikaKey", ars_prefix AS "arsPrefix", procedure_id AS "procedureId",
  valid_from AS "validFrom", valid_to AS "validTo"`;

/**
 * Procedures, routing rules and the admin audit log (`routing.procedures`, `routing.routing_rules`,
 * `routing.audit_log`). Lists are scoped in the query: a procedure by its tenant ARS, a rule by its region prefix,
 * an audit record by the region of the change.
 */
@Injectable()
export class RoutingAdminRepository {
  private readonly auditTrail = new AdminAuditLog('routing');

  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  listProcedures(scope: TenantScope): Promise<ProcedureRow[]> {
    return this.dataSource.query(
      `SELECT ${PROCEDURE_COLUMNS} FROM routing.procedures WHERE ${tenantScopeSql('tenant_ars', '$1')} ORDER BY procedure_id`,
      [tenantScopeParam(scope)],
    );
  }

  async procedureForUpdate(m: EntityManager, procedureId: string): Promise<ProcedureRow | undefined> {
    const [row] = await m.query<ProcedureRow[]>(`SELECT ${PROCEDURE_COLUMNS} FROM routing.procedures WHERE procedure_id = $1 FOR UPDATE`, [
      procedureId,
    ]);
    return row;
  }

  /** A procedure that exists and lies in the scope (a rule may only point at one of the admin's own procedures). */
  async procedureExistsIn(m: EntityManager, procedureId: string, scope: TenantScope): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `SELECT 1 FROM routing.procedures WHERE procedure_id = $1 AND ${tenantScopeSql('tenant_ars', '$2')}`,
      [procedureId, tenantScopeParam(scope)],
    );
    return rows.length > 0;
  }

  async upsertProcedure(m: EntityManager, p: ProcedureRow): Promise<void> {
    await m.query(
      `INSERT INTO routing.procedures
         (procedure_id, tenant_ars, name, topic, required_level_of_assurance, written_form_required, active, accepted_schemas)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (procedure_id) DO UPDATE SET tenant_ars = $2, name = $3, required_level_of_assurance = $5,
         written_form_required = $6, active = $7, accepted_schemas = $8, updated_at = now()`,
      [p.procedureId, p.tenantArs, p.name, p.topic, p.requiredLevelOfAssurance, p.writtenFormRequired, p.active, p.acceptedSchemas],
    );
  }

  /** Serialises changes to one rule id (transaction-scoped advisory lock). */
  async lockRule(m: EntityManager, ruleId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rule:${ruleId}`]);
  }

  async latestRule(m: EntityManager, ruleId: string): Promise<RuleRow | undefined> {
    const [row] = await m.query<RuleRow[]>(
      `SELECT ${RULE_COLUMNS} FROM routing.routing_rules WHERE rule_id = $1 ORDER BY version DESC LIMIT 1`,
      [ruleId],
    );
    return row;
  }

  async insertRuleVersion(m: EntityManager, r: NewRuleVersion): Promise<RuleRow> {
    const [created] = await m.query<RuleRow[]>(
      `INSERT INTO routing.routing_rules (rule_id, version, leika_key, ars_prefix, procedure_id, valid_from, valid_to)
       VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7::timestamptz)
       RETURNING ${RULE_COLUMNS}`,
      [r.ruleId, r.version, r.leikaKey, r.arsPrefix, r.procedureId, r.validFrom ?? null, r.validTo ?? null],
    );
    return created!;
  }

  /** Ends every version of the rule now (so an older one cannot come back into force); the latest version after. */
  async retireRule(m: EntityManager, ruleId: string, version: number): Promise<RuleRow> {
    await m.query('UPDATE routing.routing_rules SET valid_to = now() WHERE rule_id = $1 AND (valid_to IS NULL OR valid_to > now())', [
      ruleId,
    ]);
    const [now] = await m.query<RuleRow[]>(`SELECT ${RULE_COLUMNS} FROM routing.routing_rules WHERE rule_id = $1 AND version = $2`, [
      ruleId,
      version,
    ]);
    return now!;
  }

  listRules(scope: TenantScope): Promise<RuleRow[]> {
    return this.dataSource.query(
      `SELECT ${RULE_COLUMNS} FROM routing.routing_rules WHERE ${tenantScopeSql('ars_prefix', '$1')} ORDER BY rule_id, version`,
      [tenantScopeParam(scope)],
    );
  }

  audit(m: EntityManager, e: AuditEntry): Promise<void> {
    return this.auditTrail.record(m, e);
  }

  /** The audit trail, oldest first; `actor` is the subject of the token that made the change. */
  auditLog(scope: TenantScope, entityId: string | undefined): Promise<Record<string, unknown>[]> {
    return this.dataSource.query(
      `SELECT ${ADMIN_AUDIT_COLUMNS}
         FROM routing.audit_log WHERE ($1::text IS NULL OR entity_id = $1) AND ${tenantScopeSql('tenant_ars', '$2')} ORDER BY id`,
      [entityId ?? null, tenantScopeParam(scope)],
    );
  }
}
