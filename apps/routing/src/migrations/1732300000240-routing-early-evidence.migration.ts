import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class RoutingEarlyEvidence1732300000240 implements MigrationInterface {
  name = 'RoutingEarlyEvidence1732300000240';

  async up(q: QueryRunner): Promise<void> {
    // Follow-up evidence (`case.evidence-added`) that arrives before routing has held its case: kept here and applied
    // when the case is held (applied_at set then), so the case is released at once if it suffices.
    await q.query(`CREATE TABLE routing.early_evidence (
      message_id text PRIMARY KEY,
      case_id uuid NOT NULL,
      evidence jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      applied_at timestamptz)`);
    await q.query('CREATE INDEX early_evidence_pending ON routing.early_evidence (case_id) WHERE applied_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing.early_evidence');
  }
}
