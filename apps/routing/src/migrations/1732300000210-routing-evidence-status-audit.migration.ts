import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class RoutingEvidenceStatusAudit1732300000210 implements MigrationInterface {
  name = 'RoutingEvidenceStatusAudit1732300000210';

  async up(q: QueryRunner): Promise<void> {
    // Cases whose evidence does not meet the procedure's requirement wait here until a follow-up brings it.
    await q.query(`CREATE TABLE routing.held_cases (
      case_id uuid PRIMARY KEY,
      procedure_id text NOT NULL,
      rule_id text NOT NULL,
      rule_version int NOT NULL,
      matched_prefix varchar(12) NOT NULL,
      explanation text NOT NULL,
      reasons jsonb NOT NULL,
      canonical jsonb NOT NULL,
      status text NOT NULL DEFAULT 'action-required',
      held_at timestamptz NOT NULL DEFAULT now(),
      released_at timestamptz)`);
    await q.query(`CREATE TABLE routing.case_status_history (
      message_id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      procedure_id text,
      status text NOT NULL,
      message text,
      documents jsonb NOT NULL DEFAULT '[]',
      reported_by text NOT NULL,
      reported_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX case_status_history_case_idx ON routing.case_status_history (case_id, reported_at)`);
    // Notifications to the applicant: retried until sent, failures visible.
    await q.query(`CREATE TABLE routing.notifications (
      notification_id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      status_message_id uuid NOT NULL,
      channel text NOT NULL,
      recipient text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      state text NOT NULL DEFAULT 'pending',
      attempts int NOT NULL DEFAULT 0,
      last_error text,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      UNIQUE (status_message_id, channel))`);
    await q.query(`CREATE INDEX notifications_due_idx ON routing.notifications (next_attempt_at) WHERE state = 'pending'`);
    // The reply channel travels with the decision so status changes can reach the applicant.
    await q.query(`ALTER TABLE routing.routing_decisions ADD COLUMN reply_channel jsonb`);
    // Audit trail of every admin change: who, when, what, old and new.
    await q.query(`CREATE TABLE routing.audit_log (
      id bigserial PRIMARY KEY,
      actor text NOT NULL,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text NOT NULL,
      old_value jsonb,
      new_value jsonb,
      at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE routing.routing_decisions DROP COLUMN reply_channel');
    await q.query('DROP TABLE routing.audit_log, routing.notifications, routing.case_status_history, routing.held_cases');
  }
}
