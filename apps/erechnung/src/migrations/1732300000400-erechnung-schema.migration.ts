import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ErechnungSchema1732300000400 implements MigrationInterface {
  name = 'ErechnungSchema1732300000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE erechnung.fee_records (
      case_id uuid PRIMARY KEY,
      fee_id uuid NOT NULL UNIQUE,
      invoice_candidate_id uuid NOT NULL UNIQUE,
      tenant_ars char(12) NOT NULL,
      amount numeric(12, 2) NOT NULL,
      kassenzeichen text,
      billing text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE erechnung.fee_records');
  }
}
