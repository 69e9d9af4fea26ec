import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { type ValidationReport } from '@poststelle/xrechnung';
import { ErechnungAdminRepository } from '../admin/erechnung-admin.repository';
import { FeeRecordsRepository } from '../fees/fee-records.repository';
import { InboundInvoicesRepository, type NewInboundInvoice } from './inbound-invoices.repository';
import { InvoiceRepliesRepository } from './invoice-replies.repository';
import { ERECHNUNG_MIGRATIONS } from '../erechnung.migrations';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';

// Real PostgreSQL: the statements erechnung runs per inbound invoice, per answer sent and per fee recorded.
jest.setTimeout(120_000);

const BREMEN = '040110000000';
const LEITWEG = '04011000-12345-03';

const report = (accepted: boolean, number = 'R-1'): ValidationReport => ({
  accepted,
  documentSha256: 'a'.repeat(64),
  sizeBytes: 10,
  syntax: 'ubl-invoice',
  rules: { xrechnung: '3.0.2', en16931: '1.3.15' },
  summary: { sellerVatId: 'DE123456789', invoiceNumber: number, issueDate: '2026-11-30', buyerReference: LEITWEG },
  errorCount: accepted ? 0 : 1,
  warningCount: 0,
  findings: [],
});

describe('erechnung invoice repositories (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  const invoices = new InboundInvoicesRepository();
  const replies = new InvoiceRepliesRepository();
  const fees = new FeeRecordsRepository();

  const inbound = (overrides: Partial<NewInboundInvoice> = {}): NewInboundInvoice => ({
    invoiceId: randomUUID(),
    document: Buffer.from('<Invoice/>'),
    report: report(true),
    leitwegId: LEITWEG,
    destination: { tenantArs: BREMEN, destination: 'sap-bremen', name: 'Bremen' },
    seller: 'DE123456789',
    duplicateOf: null,
    channel: 'http',
    submissionId: null,
    source: null,
    ...overrides,
  });

  beforeAll(async () => {
    db = await openTestDatabase('erechnung', ERECHNUNG_MIGRATIONS);
    dataSource = db.dataSource;
    const admin = new ErechnungAdminRepository(dataSource);
    await admin.transaction((m) =>
      admin.upsertDestination(m, { leitwegId: LEITWEG, tenantArs: BREMEN, name: 'Bremen', destination: 'sap-bremen' }),
    );
  });

  afterAll(async () => {
    await db?.close();
  });

  it('resolves a Leitweg-ID to its destination; an unknown one to nothing', async () => {
    expect(await invoices.destination(dataSource.manager, LEITWEG)).toEqual({
      tenantArs: BREMEN,
      destination: 'sap-bremen',
      name: 'Bremen',
    });
    expect(await invoices.destination(dataSource.manager, '04011000-99999-99')).toBeUndefined();
  });

  it('finds the first accepted invoice with the same seller, number and date as what a new one duplicates', async () => {
    const first = inbound({ report: report(true, 'DUP-1') });
    await invoices.insert(dataSource.manager, inbound({ report: report(false, 'DUP-1') })); // rejected ones do not count
    await invoices.insert(dataSource.manager, first);
    await invoices.insert(dataSource.manager, inbound({ report: report(true, 'DUP-1'), duplicateOf: first.invoiceId }));
    expect(await invoices.earlierAccepted(dataSource.manager, 'DE123456789', 'DUP-1', '2026-11-30')).toBe(first.invoiceId);
    expect(await invoices.earlierAccepted(dataSource.manager, 'DE123456789', 'OTHER', '2026-11-30')).toBeNull();
  });

  it('keeps an emailed invoice with its source and answers it by submission id', async () => {
    const submissionId = randomUUID();
    const emailed = inbound({ channel: 'email', submissionId, source: { tenantArs: BREMEN, mailbox: 'rechnung@bremen.example' } });
    await invoices.insert(dataSource.manager, emailed);
    expect(await invoices.bySubmission(dataSource.manager, submissionId)).toEqual({
      invoiceId: emailed.invoiceId,
      accepted: true,
      report: emailed.report,
      duplicateOf: null,
      destination: 'sap-bremen',
    });
    expect(await invoices.bySubmission(dataSource.manager, randomUUID())).toBeUndefined();
    const [row] = await dataSource.query<{ tenant_ars: string; invoice_number: string; source: { mailbox: string } }[]>(
      'SELECT tenant_ars, invoice_number, source FROM erechnung.inbound_invoices WHERE invoice_id = $1',
      [emailed.invoiceId],
    );
    expect(row).toEqual({ tenant_ars: BREMEN, invoice_number: 'R-1', source: { tenantArs: BREMEN, mailbox: 'rechnung@bremen.example' } });
  });

  it('queues an answer to a verified sender, withholds one without; the dispatcher takes, retries and marks them', async () => {
    const sent = inbound();
    const withheld = inbound();
    await invoices.insert(dataSource.manager, sent);
    await invoices.insert(dataSource.manager, withheld);
    const text = { inReplyTo: '<m1@supplier.example>', subject: 'E-Rechnung angenommen', body: 'b', attachReport: true };
    await invoices.addReply(dataSource.manager, {
      ...text,
      invoiceId: sent.invoiceId,
      to: { kind: 'send', to: 'rechnung@supplier.example', basis: 'dkim-aligned-from' },
    });
    await invoices.addReply(dataSource.manager, {
      ...text,
      invoiceId: withheld.invoiceId,
      to: { kind: 'withheld', reason: 'no verified sender' },
    });

    await dataSource.transaction(async (m) => {
      const due = await replies.due(m);
      expect(due).toEqual([
        {
          invoiceId: sent.invoiceId,
          recipient: 'rechnung@supplier.example',
          inReplyTo: '<m1@supplier.example>',
          subject: 'E-Rechnung angenommen',
          body: 'b',
          attachReport: true,
          attempts: 0,
          report: sent.report,
        },
      ]);
      await replies.markAttemptFailed(m, sent.invoiceId, { attempts: 1, error: '421 later', final: false, nextAttemptInMs: 0 });
    });
    await dataSource.transaction(async (m) => {
      expect((await replies.due(m)).map((r) => r.attempts)).toEqual([1]);
      await replies.markSent(m, sent.invoiceId);
      expect(await replies.due(m)).toEqual([]);
    });
    const rows = await dataSource.query<{ invoice_id: string; state: string; attempts: number; withheld_reason: string | null }[]>(
      'SELECT invoice_id, state, attempts, withheld_reason FROM erechnung.invoice_replies',
    );
    expect(rows.find((r) => r.invoice_id === sent.invoiceId)).toMatchObject({ state: 'sent', attempts: 2, withheld_reason: null });
    expect(rows.find((r) => r.invoice_id === withheld.invoiceId)).toMatchObject({
      state: 'withheld',
      withheld_reason: 'no verified sender',
    });
  });

  it('marks an answer failed after the last attempt', async () => {
    const invoice = inbound();
    await invoices.insert(dataSource.manager, invoice);
    await invoices.addReply(dataSource.manager, {
      invoiceId: invoice.invoiceId,
      to: { kind: 'send', to: 'a@supplier.example', basis: 'supplier-on-file' },
      inReplyTo: null,
      subject: 's',
      body: 'b',
      attachReport: false,
    });
    await dataSource.transaction((m) =>
      replies.markAttemptFailed(m, invoice.invoiceId, { attempts: 5, error: '550', final: true, nextAttemptInMs: 0 }),
    );
    const [row] = await dataSource.query<{ state: string; last_error: string }[]>(
      'SELECT state, last_error FROM erechnung.invoice_replies WHERE invoice_id = $1',
      [invoice.invoiceId],
    );
    expect(row).toEqual({ state: 'failed', last_error: '550' });
  });

  it('records a fee once, however often it arrives', async () => {
    const fee = {
      caseId: randomUUID(),
      feeId: randomUUID(),
      invoiceCandidateId: randomUUID(),
      tenantArs: BREMEN,
      amount: '30.70',
      kassenzeichen: 'K-1',
      billing: 'invoice' as const,
    };
    expect(await fees.recordOnce(dataSource.manager, fee)).toBe(true);
    expect(await fees.recordOnce(dataSource.manager, { ...fee, invoiceCandidateId: randomUUID() })).toBe(false);
    const rows = await dataSource.query<{ amount: string; billing: string; invoice_candidate_id: string }[]>(
      'SELECT amount::text AS amount, billing, invoice_candidate_id FROM erechnung.fee_records WHERE fee_id = $1',
      [fee.feeId],
    );
    expect(rows).toEqual([{ amount: '30.70', billing: 'invoice', invoice_candidate_id: fee.invoiceCandidateId }]);
  });
});
