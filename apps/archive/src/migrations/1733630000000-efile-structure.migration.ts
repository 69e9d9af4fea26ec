import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The e-file (issue 15): Akte → Vorgang → Dokument → Version → Format, content-addressed bytes (SHA-256), the
 * append-only hash-chained journal per file (UPDATE/DELETE refused by a trigger, except inside a disposal run),
 * daily digests over all heads, procedure file settings, legal holds, disposal runs, offers and deletion records.
 */
export class EfileStructure1733630000000 implements MigrationInterface {
  name = 'EfileStructure1733630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE archive.procedure_settings (
      procedure_id text PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      file_plan_unit text NOT NULL,
      file_plan_title text NOT NULL,
      confidentiality char(3) NOT NULL CHECK (confidentiality IN ('001','002','003','004','005')),
      retention_years int CHECK (retention_years IS NULL OR retention_years BETWEEN 0 AND 200),
      disposal_class char(1) NOT NULL CHECK (disposal_class IN ('A','B','V')),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`ALTER TABLE archive.e_files
      ADD COLUMN file_plan_unit text, ADD COLUMN file_plan_title text, ADD COLUMN confidentiality char(3),
      ADD COLUMN retention_years int, ADD COLUMN disposal_class char(1),
      ADD COLUMN state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','closed','offered','handed-over')),
      ADD COLUMN closed_at timestamptz, ADD COLUMN retention_ends_at timestamptz,
      ADD COLUMN journal_head char(64), ADD COLUMN journal_length int NOT NULL DEFAULT 0,
      ADD COLUMN offer_process_id uuid, ADD COLUMN appraisal char(1) CHECK (appraisal IN ('A','V'))`);
    await q.query(`CREATE TABLE archive.processes (
      process_id uuid PRIMARY KEY,
      file_id uuid NOT NULL REFERENCES archive.e_files(file_id),
      seq int NOT NULL,
      kind text NOT NULL,
      title text NOT NULL,
      opened_at timestamptz NOT NULL,
      UNIQUE (file_id, seq))`);
    await q.query(`ALTER TABLE archive.documents
      ADD COLUMN process_id uuid REFERENCES archive.processes(process_id), ADD COLUMN kind text, ADD COLUMN seq int,
      ALTER COLUMN sha512 DROP NOT NULL, ALTER COLUMN blob_ref DROP NOT NULL`);
    await q.query(`CREATE TABLE archive.versions (
      version_id uuid PRIMARY KEY,
      document_id uuid NOT NULL REFERENCES archive.documents(document_id),
      number int NOT NULL,
      created_at timestamptz NOT NULL,
      UNIQUE (document_id, number))`);
    await q.query(`CREATE TABLE archive.formats (
      format_id uuid PRIMARY KEY,
      version_id uuid NOT NULL REFERENCES archive.versions(version_id),
      role text NOT NULL CHECK (role IN ('original','rendition')),
      media_type text NOT NULL,
      format_name text NOT NULL,
      file_name text NOT NULL,
      sha256 char(64) NOT NULL,
      size_bytes bigint NOT NULL,
      created_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX formats_sha256_idx ON archive.formats (sha256)`);
    await q.query(`CREATE TABLE archive.rendition_queue (
      version_id uuid PRIMARY KEY REFERENCES archive.versions(version_id),
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done','failed','not-applicable')),
      attempts int NOT NULL DEFAULT 0,
      detail text,
      claimed_at timestamptz,
      queued_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE archive.journal (
      file_id uuid NOT NULL REFERENCES archive.e_files(file_id),
      seq int NOT NULL,
      entry_id uuid NOT NULL UNIQUE,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      detail jsonb NOT NULL,
      prev_hash char(64) NOT NULL,
      hash char(64) NOT NULL,
      PRIMARY KEY (file_id, seq))`);
    await q.query(`CREATE FUNCTION archive.journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('archive.disposal_run', true) IS NOT NULL
           AND current_setting('archive.disposal_run', true) <> '' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'archive.journal is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON archive.journal
      FOR EACH ROW EXECUTE FUNCTION archive.journal_append_only()`);
    await q.query(`CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON archive.journal
      FOR EACH STATEMENT EXECUTE FUNCTION archive.journal_append_only()`);
    await q.query(`CREATE TABLE archive.status_history (
      file_id uuid NOT NULL REFERENCES archive.e_files(file_id),
      message_id uuid NOT NULL,
      status text NOT NULL,
      reported_by text NOT NULL,
      reported_at timestamptz NOT NULL,
      PRIMARY KEY (file_id, message_id))`);
    await q.query(`CREATE TABLE archive.pending_events (
      message_id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      kind text NOT NULL,
      payload jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX pending_events_case_idx ON archive.pending_events (case_id)`);
    await q.query(`CREATE TABLE archive.digests (
      seq int PRIMARY KEY,
      day date NOT NULL,
      files int NOT NULL,
      heads_hash char(64) NOT NULL,
      prev_hash char(64) NOT NULL,
      hash char(64) NOT NULL,
      sealed boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE archive.digest_heads (
      digest_seq int NOT NULL REFERENCES archive.digests(seq),
      file_id uuid NOT NULL,
      head char(64) NOT NULL,
      length int NOT NULL,
      PRIMARY KEY (digest_seq, file_id))`);
    await q.query(`CREATE TABLE archive.legal_holds (
      hold_id uuid PRIMARY KEY,
      file_id uuid NOT NULL REFERENCES archive.e_files(file_id),
      reason text NOT NULL,
      set_by text NOT NULL,
      set_at timestamptz NOT NULL DEFAULT now(),
      lifted_by text, lifted_at timestamptz, lift_reason text)`);
    await q.query(`CREATE TABLE archive.disposal_runs (
      run_id uuid PRIMARY KEY,
      trigger text NOT NULL,
      actor text NOT NULL,
      state text NOT NULL DEFAULT 'running' CHECK (state IN ('running','finished','failed')),
      due int NOT NULL DEFAULT 0,
      processed int NOT NULL DEFAULT 0,
      deleted int NOT NULL DEFAULT 0,
      offered int NOT NULL DEFAULT 0,
      held int NOT NULL DEFAULT 0,
      offer_process_id uuid,
      detail text,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz)`);
    await q.query(`CREATE TABLE archive.disposal_offers (
      process_id uuid PRIMARY KEY,
      run_id uuid NOT NULL REFERENCES archive.disposal_runs(run_id),
      state text NOT NULL DEFAULT 'offered' CHECK (state IN ('offered','appraised','closed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz)`);
    await q.query(`CREATE TABLE archive.deletion_records (
      record_id uuid PRIMARY KEY,
      file_id uuid NOT NULL UNIQUE,
      case_id uuid NOT NULL,
      file_reference text NOT NULL,
      procedure_id text NOT NULL,
      tenant_ars char(12) NOT NULL,
      disposal_class char(1),
      reason text NOT NULL,
      opened_at timestamptz NOT NULL,
      closed_at timestamptz,
      retention_ends_at timestamptz,
      deleted_at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      run_id uuid,
      offer_process_id uuid,
      journal_head char(64),
      journal_length int NOT NULL,
      content_hashes jsonb NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE archive.deletion_records, archive.disposal_offers, archive.disposal_runs, archive.legal_holds,
      archive.digest_heads, archive.digests, archive.pending_events, archive.status_history, archive.journal,
      archive.rendition_queue, archive.formats, archive.versions`);
    await q.query('DROP FUNCTION archive.journal_append_only()');
    await q.query(`ALTER TABLE archive.documents DROP COLUMN process_id, DROP COLUMN kind, DROP COLUMN seq`);
    await q.query('DROP TABLE archive.processes, archive.procedure_settings');
    await q.query(`ALTER TABLE archive.e_files DROP COLUMN file_plan_unit, DROP COLUMN file_plan_title, DROP COLUMN confidentiality,
      DROP COLUMN retention_years, DROP COLUMN disposal_class, DROP COLUMN state, DROP COLUMN closed_at,
      DROP COLUMN retention_ends_at, DROP COLUMN journal_head, DROP COLUMN journal_length, DROP COLUMN offer_process_id,
      DROP COLUMN appraisal`);
  }
}
