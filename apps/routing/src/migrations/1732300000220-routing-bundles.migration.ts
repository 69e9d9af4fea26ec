import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class RoutingBundles1732300000220 implements MigrationInterface {
  name = 'RoutingBundles1732300000220';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.bundle_members (
      case_id uuid PRIMARY KEY,
      bundle_id uuid NOT NULL,
      life_event text NOT NULL,
      size int NOT NULL,
      position int NOT NULL,
      leika_key char(14) NOT NULL,
      UNIQUE (bundle_id, position))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing.bundle_members');
  }
}
