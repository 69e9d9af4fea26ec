import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class RoutingAcceptedSchemas1732300000230 implements MigrationInterface {
  name = 'RoutingAcceptedSchemas1732300000230';

  async up(q: QueryRunner): Promise<void> {
    // The form-data schemas a procedure can process; empty: any.
    await q.query(`ALTER TABLE routing.procedures ADD COLUMN accepted_schemas text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE routing.procedures DROP COLUMN accepted_schemas');
  }
}
