import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ErechnungOutboundInvoices1732300000420 implements MigrationInterface {
  name = 'ErechnungOutboundInvoices1732300000420';

  async up(q: QueryRunner): Promise<void> {
    // The authority issuing fee invoices (the XRechnung seller), one per tenant.
    await q.query(`CREATE TABLE erechnung.invoice_issuers (
      tenant_ars char(12) PRIMARY KEY,
      name text NOT NULL,
      seller_identifier text NOT NULL,
      street text,
      postal_code text NOT NULL,
      city text NOT NULL,
      country char(2) NOT NULL,
      electronic_address text NOT NULL,
      contact_name text NOT NULL,
      contact_phone text NOT NULL,
      contact_email text NOT NULL,
      iban text NOT NULL,
      bic text,
      account_name text,
      vat_id text,
      payment_days int NOT NULL,
      number_prefix text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Gap-free invoice numbers: the row is locked FOR UPDATE and advanced in the transaction that stores the
    // released invoice (docs/adr/0008-gap-free-invoice-numbers.md).
    await q.query(`CREATE TABLE erechnung.invoice_counters (
      tenant_ars char(12) PRIMARY KEY,
      last_number bigint NOT NULL DEFAULT 0)`);
    await q.query(`CREATE TABLE erechnung.outbound_invoices (
      invoice_id uuid PRIMARY KEY,
      fee_id uuid NOT NULL UNIQUE,
      case_id uuid NOT NULL,
      tenant_ars char(12) NOT NULL,
      sequence bigint NOT NULL,
      invoice_number text NOT NULL,
      issue_date date NOT NULL,
      due_date date NOT NULL,
      payable_amount numeric(12, 2) NOT NULL,
      kassenzeichen text NOT NULL,
      vat_category text NOT NULL,
      model jsonb NOT NULL,
      ubl text NOT NULL,
      cii text NOT NULL,
      ubl_sha512 char(128) NOT NULL,
      cii_sha512 char(128) NOT NULL,
      reports jsonb NOT NULL,
      issued_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_ars, sequence))`);
    await q.query('CREATE INDEX outbound_invoices_case_idx ON erechnung.outbound_invoices (case_id)');
    // Fees that could not be invoiced: missing issuer or buyer data, or a generated invoice the engine rejected
    // (a bug alert; the invoice was never released and its number not consumed).
    await q.query(`CREATE TABLE erechnung.outbound_invoice_failures (
      failure_id uuid PRIMARY KEY,
      fee_id uuid NOT NULL,
      case_id uuid NOT NULL,
      tenant_ars char(12) NOT NULL,
      reason text NOT NULL,
      missing text[] NOT NULL DEFAULT '{}',
      ubl text,
      cii text,
      reports jsonb,
      failed_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE INDEX outbound_invoice_failures_case_idx ON erechnung.outbound_invoice_failures (case_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE erechnung.outbound_invoice_failures, erechnung.outbound_invoices, erechnung.invoice_counters, erechnung.invoice_issuers',
    );
  }
}
