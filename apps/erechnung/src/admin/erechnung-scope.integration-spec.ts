import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { ALL_TENANTS, auditScopeOf, tenantScopeOf, type Principal } from '@poststelle/platform';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';
import { ErechnungAuditAndReplyRecipients1733610000400 } from '../migrations/1733610000400-erechnung-audit-and-reply-recipients.migration';
import { ERECHNUNG_MIGRATIONS } from '../erechnung.migrations';
import { InvoiceReadsRepository } from '../invoices/invoice-reads.repository';
import { ErechnungAdminRepository, type IssuerValues } from './erechnung-admin.repository';

// Real PostgreSQL: issuers, Leitweg-IDs, the audit log and invoice reads are scoped in the queries.
jest.setTimeout(120_000);

const POTSDAM = '120540000000';
const BREMEN = '040110000000';
const principal = (roles: string[], tenants: string[]): Principal => ({
  subject: 's',
  clientId: 'c',
  roles,
  tenants,
  channels: [],
  mayAssert: [],
});
const potsdam = tenantScopeOf(principal(['tenant-admin'], [POTSDAM]));
const bremen = tenantScopeOf(principal(['caseworker'], [BREMEN]));

const issuer = (tenantArs: string, iban: string): IssuerValues => ({
  tenantArs,
  name: 'Stadtkasse',
  sellerIdentifier: 'S-1',
  street: null,
  postalCode: '14469',
  city: 'Potsdam',
  country: 'DE',
  electronicAddress: 'kasse@stadt.example',
  contactName: 'Kasse',
  contactPhone: '+49 1',
  contactEmail: 'kasse@stadt.example',
  iban,
  bic: null,
  accountName: null,
  vatId: null,
  paymentDays: 30,
  numberPrefix: 'RE-',
});

describe('erechnung repositories scope to the caller’s tenants and audit changes (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  let admin: ErechnungAdminRepository;
  let reads: InvoiceReadsRepository;

  beforeAll(async () => {
    db = await openTestDatabase('erechnung', ERECHNUNG_MIGRATIONS);
    dataSource = db.dataSource;
    admin = new ErechnungAdminRepository(dataSource);
    reads = new InvoiceReadsRepository(dataSource);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('keeps an issuer with its audit trail (subject, client, old and new IBAN) and reads it only within the scope', async () => {
    for (const iban of ['DE75512108001245126199', 'DE02120300000000202051']) {
      await admin.transaction(async (m) => {
        const old = await admin.issuer(m, POTSDAM, potsdam, true);
        const row = await admin.upsertIssuer(m, issuer(POTSDAM, iban));
        await admin.audit(m, {
          subject: 'admin-potsdam',
          clientId: 'admin-potsdam',
          tenantArs: POTSDAM,
          action: old ? 'issuer.updated' : 'issuer.created',
          entity: 'invoice-issuer',
          entityId: POTSDAM,
          oldValue: old,
          newValue: row,
        });
      });
    }
    expect(await admin.readIssuer(POTSDAM, potsdam)).toMatchObject({ iban: 'DE02120300000000202051' });
    expect(await admin.readIssuer(POTSDAM, bremen)).toBeUndefined();

    const trail = await admin.auditLog(auditScopeOf(principal(['auditor'], [])), { entity: 'invoice-issuer' });
    expect(trail.map((a) => [a['actor'], a['clientId'], a['action']])).toEqual([
      ['admin-potsdam', 'admin-potsdam', 'issuer.created'],
      ['admin-potsdam', 'admin-potsdam', 'issuer.updated'],
    ]);
    expect(trail[1]).toMatchObject({ oldValue: { iban: 'DE75512108001245126199' }, newValue: { iban: 'DE02120300000000202051' } });
    expect(await admin.auditLog(auditScopeOf(principal(['auditor'], [BREMEN])), {})).toEqual([]);
    expect(await admin.auditLog(ALL_TENANTS, { entity: 'leitweg-id' })).toEqual([]);
  });

  it('finds a Leitweg-ID destination whoever owns it, to refuse a takeover', async () => {
    await admin.transaction((m) =>
      admin.upsertDestination(m, { leitwegId: '04011000-12345-03', tenantArs: BREMEN, name: 'Bremen', destination: 'sap' }),
    );
    await admin.transaction(async (m) => {
      expect(await admin.destinationForUpdate(m, '04011000-12345-03')).toMatchObject({ tenantArs: BREMEN });
      expect(await admin.destinationForUpdate(m, '04011000-12345-99')).toBeUndefined();
    });
  });

  it('reads an inbound invoice, its answer, outbound invoices and fee records only within the scope', async () => {
    const resolved = randomUUID();
    const emailedUnresolved = randomUUID();
    const insertInbound = (invoiceId: string, tenantArs: string | null, source: unknown) =>
      dataSource.query(
        `INSERT INTO erechnung.inbound_invoices (invoice_id, document, document_sha256, accepted, report, tenant_ars, channel, source)
         VALUES ($1, 'x', $2, $3, '{"findings":[]}', $4, $5, $6)`,
        [invoiceId, 'a'.repeat(64), tenantArs !== null, tenantArs, source ? 'email' : 'http', source ? JSON.stringify(source) : null],
      );
    await insertInbound(resolved, BREMEN, null);
    await insertInbound(emailedUnresolved, null, { tenantArs: BREMEN, inboundId: randomUUID() });
    await dataSource.query(
      `INSERT INTO erechnung.invoice_replies (invoice_id, recipient, state, withheld_reason, subject, body, attach_report)
       VALUES ($1, NULL, 'withheld', 'no verified sender', 'E-Rechnung abgelehnt', 'b', true)`,
      [emailedUnresolved],
    );
    expect(await reads.inboundReport(resolved, bremen)).toBeDefined();
    expect(await reads.inboundReport(resolved, potsdam)).toBeUndefined();
    expect(await reads.inboundReport(emailedUnresolved, bremen)).toBeDefined();
    expect(await reads.reply(emailedUnresolved, bremen)).toMatchObject({ state: 'withheld', withheld_reason: 'no verified sender' });
    expect(await reads.reply(emailedUnresolved, potsdam)).toBeUndefined();

    const caseId = randomUUID();
    await dataSource.query(
      `INSERT INTO erechnung.fee_records (case_id, fee_id, invoice_candidate_id, tenant_ars, amount, billing) VALUES ($1, $2, $3, $4, 30, 'invoice')`,
      [caseId, randomUUID(), randomUUID(), POTSDAM],
    );
    const failureId = randomUUID();
    await dataSource.query(
      `INSERT INTO erechnung.outbound_invoice_failures (failure_id, fee_id, case_id, tenant_ars, reason) VALUES ($1, $2, $3, $4, 'no issuer')`,
      [failureId, randomUUID(), caseId, POTSDAM],
    );
    expect(await reads.feeRecord(caseId, potsdam)).toMatchObject({ amount: '30.00' });
    expect(await reads.feeRecord(caseId, bremen)).toBeUndefined();
    expect(await reads.failuresForCase(caseId, potsdam)).toHaveLength(1);
    expect(await reads.failuresForCase(caseId, bremen)).toEqual([]);
    expect(await reads.failure(failureId, bremen)).toBeUndefined();
    expect(await reads.outboundForCase(caseId, potsdam)).toBeUndefined();
  });

  it('refuses a pending answer without a recipient', async () => {
    const invoiceId = randomUUID();
    await dataSource.query(
      `INSERT INTO erechnung.inbound_invoices (invoice_id, document, document_sha256, accepted, report) VALUES ($1, 'x', $2, false, '{}')`,
      [invoiceId, 'b'.repeat(64)],
    );
    await expect(
      dataSource.query(
        `INSERT INTO erechnung.invoice_replies (invoice_id, recipient, state, subject, body, attach_report) VALUES ($1, NULL, 'pending', 's', 'b', false)`,
        [invoiceId],
      ),
    ).rejects.toThrow(/invoice_replies_recipient_check/);
  });
});

describe('upgrading to answers only for authenticated senders (real PostgreSQL)', () => {
  it('withholds answers still queued for an unverified address and keeps those already sent', async () => {
    // Every migration before the one under test.
    const db = await openTestDatabase(
      'erechnung',
      ERECHNUNG_MIGRATIONS.filter((m) => m !== ErechnungAuditAndReplyRecipients1733610000400),
      { poolSize: 2 },
    );
    const { dataSource } = db;
    try {
      const queued = randomUUID();
      const sent = randomUUID();
      for (const [invoiceId, state] of [
        [queued, 'pending'],
        [sent, 'sent'],
      ] as const) {
        await dataSource.query(
          `INSERT INTO erechnung.inbound_invoices (invoice_id, document, document_sha256, accepted, report) VALUES ($1, 'x', $2, true, '{}')`,
          [invoiceId, 'c'.repeat(64)],
        );
        await dataSource.query(
          `INSERT INTO erechnung.invoice_replies (invoice_id, recipient, state, subject, body, attach_report)
           VALUES ($1, 'reply-to@anyone.example', $2, 's', 'b', false)`,
          [invoiceId, state],
        );
      }
      const runner = dataSource.createQueryRunner();
      await new ErechnungAuditAndReplyRecipients1733610000400().up(runner);
      await runner.release();
      const rows = await dataSource.query<
        { invoice_id: string; state: string; recipient: string | null; withheld_reason: string | null }[]
      >('SELECT invoice_id, state, recipient, withheld_reason FROM erechnung.invoice_replies');
      expect(rows.find((r) => r.invoice_id === queued)).toMatchObject({
        state: 'withheld',
        recipient: null,
        withheld_reason: expect.stringContaining('unverified Reply-To') as string,
      });
      expect(rows.find((r) => r.invoice_id === sent)).toMatchObject({ state: 'sent', recipient: 'reply-to@anyone.example' });
    } finally {
      await db.close();
    }
  });
});
