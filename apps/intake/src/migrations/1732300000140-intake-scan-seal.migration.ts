import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Paper scan: the scan centre's seal over a batch index (TR-RESISCAN), as verified on arrival. A batch refused only
 * for its seal (SCAN_INDEX_SEAL_*) does not take its index hash: the scan centre can deliver the same index again,
 * sealed. Every other batch is still taken once per index sha512.
 */
export class IntakeScanSeal1732300000140 implements MigrationInterface {
  name = 'IntakeScanSeal1732300000140';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.scan_batches ADD COLUMN index_seal jsonb`);
    await q.query(`DROP INDEX intake.scan_batches_index_sha_idx`);
    await q.query(`CREATE UNIQUE INDEX scan_batches_index_sha_idx ON intake.scan_batches (index_sha512)
      WHERE reason_code IS NULL OR reason_code NOT LIKE 'SCAN_INDEX_SEAL_%'`);
    await q.query(`CREATE INDEX scan_batches_index_sha_all_idx ON intake.scan_batches (index_sha512)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM intake.scan_batches WHERE reason_code LIKE 'SCAN_INDEX_SEAL_%'`);
    await q.query(`DROP INDEX intake.scan_batches_index_sha_all_idx`);
    await q.query(`DROP INDEX intake.scan_batches_index_sha_idx`);
    await q.query(`CREATE UNIQUE INDEX scan_batches_index_sha_idx ON intake.scan_batches (index_sha512)`);
    await q.query(`ALTER TABLE intake.scan_batches DROP COLUMN index_seal`);
  }
}
