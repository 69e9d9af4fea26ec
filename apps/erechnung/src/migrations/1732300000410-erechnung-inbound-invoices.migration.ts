import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ErechnungInboundInvoices1732300000410 implements MigrationInterface {
  name = 'ErechnungInboundInvoices1732300000410';

  async up(q: QueryRunner): Promise<void> {
    // Leitweg-ID (BT-10) → the authority's accounting destination, per tenant.
    await q.query(`CREATE TABLE erechnung.accounting_destinations (
      leitweg_id text PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      name text NOT NULL,
      destination text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Every inbound invoice is kept as received, accepted or not, with its validation report.
    await q.query(`CREATE TABLE erechnung.inbound_invoices (
      invoice_id uuid PRIMARY KEY,
      document bytea NOT NULL,
      document_sha256 char(64) NOT NULL,
      accepted boolean NOT NULL,
      report jsonb NOT NULL,
      syntax text,
      leitweg_id text,
      tenant_ars char(12),
      destination text,
      seller text,
      invoice_number text,
      issue_date text,
      duplicate_of uuid,
      received_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(
      `CREATE INDEX inbound_invoices_duplicate_idx ON erechnung.inbound_invoices (seller, invoice_number, issue_date) WHERE accepted`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE erechnung.inbound_invoices, erechnung.accounting_destinations');
  }
}
