import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ArchiveSchema1732300000500 implements MigrationInterface {
  name = 'ArchiveSchema1732300000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE archive.file_reference_seq`);
    await q.query(`CREATE TABLE archive.e_files (
      file_id uuid PRIMARY KEY,
      case_id uuid NOT NULL UNIQUE,
      file_reference text NOT NULL UNIQUE,
      procedure_id text NOT NULL,
      tenant_ars char(12) NOT NULL,
      subject text NOT NULL,
      opened_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE archive.documents (
      document_id uuid PRIMARY KEY,
      file_id uuid NOT NULL REFERENCES archive.e_files(file_id),
      title text NOT NULL,
      file_name text NOT NULL,
      media_type text NOT NULL,
      sha512 char(128) NOT NULL,
      blob_ref text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX documents_file_idx ON archive.documents (file_id)`);
    // Append-only history (who, when, what): the audit trail of every file.
    await q.query(`CREATE TABLE archive.history (
      id bigserial PRIMARY KEY,
      file_id uuid NOT NULL REFERENCES archive.e_files(file_id),
      action text NOT NULL,
      actor text NOT NULL,
      detail jsonb NOT NULL,
      at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE archive.history, archive.documents, archive.e_files');
    await q.query('DROP SEQUENCE archive.file_reference_seq');
  }
}
