import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class IntakeDuplicates1732300000120 implements MigrationInterface {
  name = 'IntakeDuplicates1732300000120';

  async up(q: QueryRunner): Promise<void> {
    // Same applicant, same service, same authority: the fingerprint links a later case to an earlier one.
    await q.query('ALTER TABLE intake.cases ADD COLUMN duplicate_fingerprint char(64)');
    await q.query(
      'CREATE INDEX cases_duplicate_idx ON intake.cases (duplicate_fingerprint, received_at) WHERE duplicate_fingerprint IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake.cases DROP COLUMN duplicate_fingerprint');
  }
}
