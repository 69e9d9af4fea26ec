import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class PaymentSchema1732300000300 implements MigrationInterface {
  name = 'PaymentSchema1732300000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE payment.fees (
      leika_key char(14) NOT NULL,
      ars_prefix varchar(12) NOT NULL CHECK (length(ars_prefix) IN (2, 3, 5, 9, 12)),
      amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
      policy text NOT NULL,
      booking_text varchar(27) NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (leika_key, ars_prefix))`);
    await q.query(`CREATE SEQUENCE payment.kassenzeichen_seq`);
    await q.query(`CREATE TABLE payment.payment_dues (
      case_id uuid PRIMARY KEY,
      fee_id uuid NOT NULL UNIQUE,
      tenant_ars char(12) NOT NULL,
      leika_key char(14) NOT NULL,
      amount numeric(12, 2) NOT NULL,
      kassenzeichen text,
      policy text NOT NULL,
      payment_method text,
      status text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment.payment_dues, payment.fees');
    await q.query('DROP SEQUENCE payment.kassenzeichen_seq');
  }
}
