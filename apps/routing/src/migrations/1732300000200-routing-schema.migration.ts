import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class RoutingSchema1732300000200 implements MigrationInterface {
  name = 'RoutingSchema1732300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.procedures (
      procedure_id text PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      name text NOT NULL,
      topic text NOT NULL UNIQUE,
      required_level_of_assurance text NOT NULL DEFAULT 'none',
      written_form_required boolean NOT NULL DEFAULT false,
      active boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE routing.routing_rules (
      rule_id text NOT NULL,
      version int NOT NULL,
      leika_key char(14) NOT NULL,
      ars_prefix varchar(12) NOT NULL CHECK (length(ars_prefix) IN (2, 3, 5, 9, 12)),
      procedure_id text NOT NULL REFERENCES routing.procedures(procedure_id),
      valid_from timestamptz NOT NULL DEFAULT now(),
      valid_to timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (rule_id, version))`);
    await q.query(`CREATE INDEX routing_rules_lookup_idx ON routing.routing_rules (leika_key, ars_prefix)`);
    await q.query(`CREATE TABLE routing.routing_decisions (
      case_id uuid PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      leika_key char(14) NOT NULL,
      outcome text NOT NULL,
      procedure_id text,
      rule_id text,
      rule_version int,
      matched_prefix varchar(12),
      explanation text NOT NULL,
      decided_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE routing.manual_routing_queue (
      item_id uuid PRIMARY KEY,
      case_id uuid NOT NULL UNIQUE,
      reason_code text NOT NULL,
      reason text NOT NULL,
      canonical jsonb NOT NULL,
      status text NOT NULL DEFAULT 'open',
      resolved_procedure_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing.manual_routing_queue, routing.routing_decisions, routing.routing_rules, routing.procedures');
  }
}
