import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Fee schedule versions (effective-dated) with audit, Kassenzeichen counters, payments with their history, bank
 * statement imports with their items, the clerk queue of unmatched items and per-tenant provider configuration.
 * The old `fees` and `payment_dues` rows are carried over.
 */
export class PaymentLifecycle1733620000000 implements MigrationInterface {
  name = 'PaymentLifecycle1733620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE payment.fee_schedule (
      leika_key char(14) NOT NULL,
      ars_prefix varchar(12) NOT NULL CHECK (length(ars_prefix) IN (2, 3, 5, 9, 12)),
      version int NOT NULL,
      amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
      currency char(3) NOT NULL DEFAULT 'EUR',
      policy text NOT NULL CHECK (policy IN ('none', 'optional', 'mandatory-before-processing', 'deferred')),
      booking_text varchar(27) NOT NULL,
      valid_from timestamptz NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (leika_key, ars_prefix, version))`);
    await q.query(`INSERT INTO payment.fee_schedule (leika_key, ars_prefix, version, amount, policy, booking_text, valid_from, created_by)
      SELECT leika_key, ars_prefix, 1, amount, CASE policy WHEN 'before-processing' THEN 'mandatory-before-processing' ELSE policy END,
             booking_text, updated_at, 'migration' FROM payment.fees`);
    await q.query(`CREATE TABLE payment.fee_audit (
      audit_id bigserial PRIMARY KEY,
      actor text NOT NULL,
      action text NOT NULL,
      leika_key char(14) NOT NULL,
      ars_prefix varchar(12) NOT NULL,
      version int NOT NULL,
      detail jsonb NOT NULL,
      at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE payment.kassenzeichen_counters (
      tenant_ars char(12) NOT NULL, year int NOT NULL, last int NOT NULL, PRIMARY KEY (tenant_ars, year))`);
    await q.query(`CREATE TABLE payment.payments (
      payment_id uuid PRIMARY KEY,
      case_id uuid NOT NULL UNIQUE,
      fee_id uuid NOT NULL UNIQUE,
      tenant_ars char(12) NOT NULL,
      leika_key char(14) NOT NULL,
      kassenzeichen text NOT NULL,
      portal_reference text,
      amount_due numeric(14, 5) NOT NULL,
      amount_paid numeric(14, 5) NOT NULL DEFAULT 0,
      currency char(3) NOT NULL DEFAULT 'EUR',
      policy text NOT NULL,
      booking_text text NOT NULL,
      payment_method text,
      status text NOT NULL,
      provider_transaction_id text,
      paypage_url text,
      next_poll_at timestamptz,
      poll_attempts int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_ars, kassenzeichen))`);
    await q.query(`CREATE INDEX payments_poll ON payment.payments (next_poll_at) WHERE next_poll_at IS NOT NULL`);
    await q.query(
      `CREATE INDEX payments_open_amount ON payment.payments (tenant_ars, amount_due) WHERE status IN ('INITIAL', 'PARTIALLY_PAID')`,
    );
    await q.query(`INSERT INTO payment.payments (payment_id, case_id, fee_id, tenant_ars, leika_key, kassenzeichen, amount_due, policy, booking_text, payment_method, status, created_at)
      SELECT fee_id, case_id, fee_id, tenant_ars, leika_key, kassenzeichen, amount,
             CASE policy WHEN 'before-processing' THEN 'mandatory-before-processing' ELSE policy END, '', payment_method, 'INITIAL', recorded_at
        FROM payment.payment_dues WHERE status = 'open' AND kassenzeichen IS NOT NULL ON CONFLICT DO NOTHING`);
    await q.query(`CREATE TABLE payment.cases_without_fee (
      case_id uuid PRIMARY KEY, tenant_ars char(12) NOT NULL, leika_key char(14) NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`INSERT INTO payment.cases_without_fee (case_id, tenant_ars, leika_key, recorded_at)
      SELECT case_id, tenant_ars, leika_key, recorded_at FROM payment.payment_dues WHERE status <> 'open'`);
    await q.query(`CREATE TABLE payment.payment_history (
      history_id bigserial PRIMARY KEY,
      payment_id uuid NOT NULL REFERENCES payment.payments (payment_id),
      from_status text,
      to_status text NOT NULL,
      amount_paid numeric(14, 5) NOT NULL,
      reason text NOT NULL,
      source text NOT NULL,
      request_id text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (payment_id, request_id))`);
    await q.query(`CREATE TABLE payment.statement_imports (
      import_id uuid PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      message_id text NOT NULL,
      statement_ids text[] NOT NULL,
      statement_key text NOT NULL,
      kind text NOT NULL,
      version text NOT NULL,
      source text NOT NULL,
      file_name text,
      sha256 char(64) NOT NULL,
      state text NOT NULL,
      total int NOT NULL,
      done int NOT NULL DEFAULT 0,
      booked int NOT NULL DEFAULT 0,
      queued int NOT NULL DEFAULT 0,
      ignored int NOT NULL DEFAULT 0,
      imported_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      UNIQUE (tenant_ars, statement_key))`);
    await q.query(`CREATE TABLE payment.statement_items (
      import_id uuid NOT NULL REFERENCES payment.statement_imports (import_id),
      position text NOT NULL,
      seq int NOT NULL,
      item jsonb NOT NULL,
      state text NOT NULL DEFAULT 'pending',
      payment_id uuid,
      outcome text,
      PRIMARY KEY (import_id, position))`);
    await q.query(`CREATE INDEX statement_items_pending ON payment.statement_items (import_id, seq) WHERE state = 'pending'`);
    await q.query(`CREATE TABLE payment.clerk_queue (
      item_id uuid PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      import_id uuid NOT NULL,
      position text NOT NULL,
      amount text NOT NULL,
      currency text NOT NULL,
      direction text NOT NULL,
      remittance text NOT NULL,
      refs jsonb NOT NULL,
      reason text NOT NULL,
      state text NOT NULL DEFAULT 'open',
      case_id uuid,
      settled_by text,
      settled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (import_id, position))`);
    await q.query(`CREATE TABLE payment.provider_configs (
      tenant_ars char(12) PRIMARY KEY,
      endpoint text NOT NULL,
      merchant_id text NOT NULL,
      credentials text NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('DROP TABLE payment.payment_dues, payment.fees');
    await q.query('DROP SEQUENCE payment.kassenzeichen_seq');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payment.provider_configs, payment.clerk_queue, payment.statement_items, payment.statement_imports,
      payment.payment_history, payment.cases_without_fee, payment.payments, payment.kassenzeichen_counters, payment.fee_audit, payment.fee_schedule`);
  }
}
