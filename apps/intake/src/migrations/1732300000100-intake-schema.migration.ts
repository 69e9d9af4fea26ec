import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class IntakeSchema1732300000100 implements MigrationInterface {
  name = 'IntakeSchema1732300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE intake.submissions (
      submission_id uuid PRIMARY KEY,
      idempotency_key text NOT NULL UNIQUE,
      request_sha512 char(128) NOT NULL,
      channel text NOT NULL,
      case_id uuid NOT NULL UNIQUE,
      original jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE intake.cases (
      case_id uuid PRIMARY KEY,
      submission_id uuid NOT NULL REFERENCES intake.submissions(submission_id),
      tenant_ars char(12) NOT NULL,
      leika_key char(14) NOT NULL,
      channel text NOT NULL,
      canonical jsonb NOT NULL,
      received_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX cases_tenant_idx ON intake.cases (tenant_ars, received_at)`);
    await q.query(`CREATE TABLE intake.rejected_inputs (
      rejection_id uuid PRIMARY KEY,
      source text NOT NULL,
      reason_code text NOT NULL,
      errors jsonb NOT NULL,
      original bytea,
      original_sha512 char(128),
      received_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE intake.case_timeline (
      message_id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      event_type text NOT NULL,
      topic text NOT NULL,
      summary jsonb NOT NULL,
      occurred_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX case_timeline_case_idx ON intake.case_timeline (case_id, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake.case_timeline, intake.rejected_inputs, intake.cases, intake.submissions');
  }
}
