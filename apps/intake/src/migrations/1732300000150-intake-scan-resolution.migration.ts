import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Paper scan: how a clerk resolved a manual-classification queue item, a new case (`new-case`) or a follow-up on an
 * existing case (`follow-up`). Items resolved before this column existed all created a case.
 */
export class IntakeScanResolution1732300000150 implements MigrationInterface {
  name = 'IntakeScanResolution1732300000150';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.scan_classification_queue ADD COLUMN resolution text`);
    await q.query(`UPDATE intake.scan_classification_queue SET resolution = 'new-case' WHERE status = 'resolved'`);
    await q.query(`ALTER TABLE intake.scan_classification_queue ADD CONSTRAINT scan_queue_resolution_check
      CHECK ((status = 'open' AND resolution IS NULL) OR (status = 'resolved' AND resolution IN ('new-case', 'follow-up')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.scan_classification_queue DROP CONSTRAINT scan_queue_resolution_check`);
    await q.query(`ALTER TABLE intake.scan_classification_queue DROP COLUMN resolution`);
  }
}
