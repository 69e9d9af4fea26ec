import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Channels: inbound email (raw kept by hash before parsing), mailbox table, FIT-Connect submissions and events. */
export class IntakeChannels1732300000110 implements MigrationInterface {
  name = 'IntakeChannels1732300000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE intake.inbound_messages (
      inbound_id uuid PRIMARY KEY,
      transport text NOT NULL,
      raw_sha512 char(128),
      size_bytes bigint NOT NULL,
      envelope_from text,
      recipients jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL,
      reason_code text,
      reason text,
      case_id uuid,
      evidence jsonb,
      received_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz)`);
    await q.query(`CREATE INDEX inbound_messages_sha_idx ON intake.inbound_messages (raw_sha512)`);
    await q.query(`CREATE TABLE intake.mailboxes (
      address text PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      leika_key char(14),
      name text,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Human case reference: PS-<first 8 hex digits of the case id, upper case> (docs/canonical-model.md).
    await q.query(
      `ALTER TABLE intake.cases ADD COLUMN case_ref text GENERATED ALWAYS AS ('PS-' || upper(substr(replace(case_id::text, '-', ''), 1, 8))) STORED`,
    );
    await q.query(`CREATE INDEX cases_ref_idx ON intake.cases (case_ref)`);
    await q.query(`CREATE TABLE intake.fit_submissions (
      submission_id uuid PRIMARY KEY,
      status text NOT NULL,
      metadata_version text,
      announced jsonb NOT NULL,
      metadata jsonb,
      metadata_sha512 char(128),
      case_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE intake.fit_attachments (
      submission_id uuid NOT NULL REFERENCES intake.fit_submissions(submission_id),
      attachment_id text NOT NULL,
      sha512 char(128) NOT NULL,
      size_bytes bigint NOT NULL,
      uploaded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (submission_id, attachment_id))`);
    await q.query(`CREATE TABLE intake.fit_events (
      event_id uuid PRIMARY KEY,
      submission_id uuid NOT NULL REFERENCES intake.fit_submissions(submission_id),
      event_type text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}',
      occurred_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX fit_events_submission_idx ON intake.fit_events (submission_id, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE intake.fit_events, intake.fit_attachments, intake.fit_submissions, intake.mailboxes, intake.inbound_messages',
    );
    await q.query('ALTER TABLE intake.cases DROP COLUMN case_ref');
  }
}
