import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Routing's own copy of the fee policies (from `payments.fee-schedule.v1`) and the cases held for payment. */
export class RoutingPaymentGate1733620000100 implements MigrationInterface {
  name = 'RoutingPaymentGate1733620000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.payment_gate_policies (
      leika_key char(14) NOT NULL,
      ars_prefix varchar(12) NOT NULL,
      version int NOT NULL,
      policy text NOT NULL,
      valid_from timestamptz NOT NULL,
      PRIMARY KEY (leika_key, ars_prefix, version))`);
    await q.query(`CREATE TABLE routing.payment_gates (
      case_id uuid PRIMARY KEY,
      state text NOT NULL,
      kassenzeichen text,
      amount text,
      canonical jsonb,
      decision jsonb,
      updated_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing.payment_gates, routing.payment_gate_policies');
  }
}
