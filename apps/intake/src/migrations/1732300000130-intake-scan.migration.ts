import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Paper scan: batches (index kept, processed once by index hash), documents, manual-classification queue, rules. */
export class IntakeScan1732300000130 implements MigrationInterface {
  name = 'IntakeScan1732300000130';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE intake.scan_batches (
      batch_id uuid PRIMARY KEY,
      source text NOT NULL,
      external_batch_id text,
      index_sha512 char(128) NOT NULL,
      index jsonb,
      status text NOT NULL,
      reason_code text,
      reason text,
      drop_folder text,
      total_bytes bigint NOT NULL DEFAULT 0,
      claimed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Exactly once: a batch index (by its sha512) is taken once, whatever the transport and however often it is seen.
    await q.query(`CREATE UNIQUE INDEX scan_batches_index_sha_idx ON intake.scan_batches (index_sha512)`);
    await q.query(`CREATE INDEX scan_batches_status_idx ON intake.scan_batches (status, updated_at)`);
    await q.query(`CREATE TABLE intake.scan_documents (
      batch_id uuid NOT NULL REFERENCES intake.scan_batches(batch_id),
      document_id text NOT NULL,
      position int NOT NULL,
      file_name text NOT NULL,
      media_type text NOT NULL,
      expected_sha512 char(128) NOT NULL,
      size_bytes bigint,
      status text NOT NULL,
      reason_code text,
      reason text,
      case_id uuid,
      pdfa_sha512 char(128),
      classification jsonb,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (batch_id, document_id))`);
    await q.query(`CREATE TABLE intake.scan_classification_queue (
      item_id uuid PRIMARY KEY,
      batch_id uuid NOT NULL,
      document_id text NOT NULL,
      status text NOT NULL,
      confidence numeric NOT NULL,
      reason_code text NOT NULL,
      reason text NOT NULL,
      candidates jsonb NOT NULL,
      facts jsonb NOT NULL,
      text_excerpt text NOT NULL DEFAULT '',
      case_id uuid,
      resolved_by text,
      queued_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      UNIQUE (batch_id, document_id))`);
    await q.query(`CREATE INDEX scan_queue_status_idx ON intake.scan_classification_queue (status, queued_at)`);
    await q.query(`CREATE TABLE intake.scan_classification_rules (
      rule_id text PRIMARY KEY,
      leika_key char(14) NOT NULL,
      tenant_ars char(12),
      form_ids jsonb NOT NULL DEFAULT '[]',
      keywords jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE intake.scan_classification_rules, intake.scan_classification_queue, intake.scan_documents, intake.scan_batches',
    );
  }
}
