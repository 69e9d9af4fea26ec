import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Access control (ADR 0016): the audit log names the token's client beside its subject (`actor`) and the region each
 * change concerns, by which an auditor with tenants is scoped. Earlier rows get the region from their values. The
 * manual-routing queue is scoped by the case's tenant, read from the canonical case.
 */
export class RoutingAuditSubjectAndScope1733610000200 implements MigrationInterface {
  name = 'RoutingAuditSubjectAndScope1733610000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE routing.audit_log ADD COLUMN client_id text, ADD COLUMN tenant_ars varchar(12)');
    await q.query(`UPDATE routing.audit_log SET tenant_ars = coalesce(new_value->>'arsPrefix', new_value->>'tenantArs',
      old_value->>'arsPrefix', old_value->>'tenantArs')`);
    await q.query('CREATE INDEX audit_log_tenant_idx ON routing.audit_log (tenant_ars text_pattern_ops)');
    await q.query(
      `CREATE INDEX manual_routing_queue_tenant_idx ON routing.manual_routing_queue ((canonical->'tenant'->>'ars') text_pattern_ops, status)`,
    );
    await q.query('CREATE INDEX routing_decisions_tenant_idx ON routing.routing_decisions (tenant_ars bpchar_pattern_ops)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX routing.routing_decisions_tenant_idx, routing.manual_routing_queue_tenant_idx, routing.audit_log_tenant_idx');
    await q.query('ALTER TABLE routing.audit_log DROP COLUMN client_id, DROP COLUMN tenant_ars');
  }
}
