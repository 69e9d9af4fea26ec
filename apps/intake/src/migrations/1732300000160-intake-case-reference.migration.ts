import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Case references that cannot be guessed: the stored key becomes the 16 random hex digits of the case id (without the
 * UUID's version digit) instead of the first 8; the check character is computed by the application
 * (apps/intake/src/cases/case-reference.ts). References sent out before keep nothing: the old 8-digit form no longer
 * attaches mail to a case (a reply quoting it becomes a new case or a clerk item).
 */
export class IntakeCaseReference1732300000160 implements MigrationInterface {
  name = 'IntakeCaseReference1732300000160';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS intake.cases_ref_idx');
    await q.query('ALTER TABLE intake.cases DROP COLUMN case_ref');
    await q.query(`ALTER TABLE intake.cases ADD COLUMN case_ref text GENERATED ALWAYS AS (
      upper(substr(replace(case_id::text, '-', ''), 1, 12) || substr(replace(case_id::text, '-', ''), 14, 4))) STORED`);
    await q.query('CREATE INDEX cases_ref_idx ON intake.cases (case_ref)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS intake.cases_ref_idx');
    await q.query('ALTER TABLE intake.cases DROP COLUMN case_ref');
    await q.query(
      `ALTER TABLE intake.cases ADD COLUMN case_ref text GENERATED ALWAYS AS ('PS-' || upper(substr(replace(case_id::text, '-', ''), 1, 8))) STORED`,
    );
    await q.query('CREATE INDEX cases_ref_idx ON intake.cases (case_ref)');
  }
}
