import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Who handed it in (ADR 0016): the channel client (token client id, or `kafka-adapter`, `smtp`, `scan-drop-folder`)
 * on submissions, rejected inputs, scan batches and FIT-Connect submissions, so a channel client reads back what it
 * submitted and nothing else. Rows from before carry null: visible to their tenant and platform-admin only.
 */
export class IntakeSubmittedBy1733600000100 implements MigrationInterface {
  name = 'IntakeSubmittedBy1733600000100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['submissions', 'rejected_inputs', 'scan_batches', 'fit_submissions']) {
      await q.query(`ALTER TABLE intake.${table} ADD COLUMN submitted_by text`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['submissions', 'rejected_inputs', 'scan_batches', 'fit_submissions']) {
      await q.query(`ALTER TABLE intake.${table} DROP COLUMN submitted_by`);
    }
  }
}
