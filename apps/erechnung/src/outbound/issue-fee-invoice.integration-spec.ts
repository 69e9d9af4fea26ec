import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataSource } from 'typeorm';
import { OutboundInvoiceIssuedV1, validateContract, type FeeEventV1 } from '@poststelle/contracts';
import { FileSystemBlobStore } from '@poststelle/persistence';
import { XRechnungValidator, readFeeInvoice } from '@poststelle/xrechnung';
import { IssueFeeInvoiceUseCase, type IssueOutcome } from './issue-fee-invoice.use-case';
import { OutboundInvoicesRepository } from './outbound-invoices.repository';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';
import { ERECHNUNG_MIGRATIONS } from '../erechnung.migrations';

// Real PostgreSQL and the real XRechnung engine (rules from `npm run build:rules`).
jest.setTimeout(180_000);

const BREMEN = '040110000000';
const POTSDAM = '120540000000';
const BROKEN = '010010000000';

const fee = (tenantArs: string, overrides: Partial<FeeEventV1> = {}): FeeEventV1 => ({
  kind: 'fee.due',
  caseId: randomUUID(),
  feeId: randomUUID(),
  tenantArs,
  leikaKey: '99050012104000',
  amount: '30.70',
  currency: 'EUR',
  kassenzeichen: `${tenantArs.slice(0, 5)}-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
  bookingText: 'GEWERBEANMELDUNG',
  paymentMethod: 'INVOICE',
  policy: 'before-processing',
  payer: {
    kind: 'legal',
    name: 'Muster & Söhne GmbH',
    email: 'rechnung@muster.example',
    address: { street: 'Am Markt', houseNumber: '1', postalCode: '28195', city: 'Bremen' },
    reference: '04011000-12345-03',
  },
  recordedAt: new Date().toISOString(),
  ...overrides,
});

describe('issuing fee invoices against PostgreSQL and the XRechnung engine', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  let validator: XRechnungValidator;
  let useCase: IssueFeeInvoiceUseCase;
  let blobs: FileSystemBlobStore;
  let blobDir = '';

  const issue = (f: FeeEventV1): Promise<IssueOutcome> => dataSource.transaction((m) => useCase.execute(m, f, randomUUID()));
  const addIssuer = (tenantArs: string, country = 'DE') =>
    dataSource.query(
      `INSERT INTO erechnung.invoice_issuers (tenant_ars, name, seller_identifier, street, postal_code, city, country, electronic_address,
         contact_name, contact_phone, contact_email, iban, bic, account_name, payment_days, number_prefix)
       VALUES ($1, 'Stadtamt', '04011000-99999-44', 'Stresemannstraße 48', '28207', 'Bremen', $2, 'rechnungsausgang@stadt.example',
         'Kasse', '+49 421 361-0', 'kasse@stadt.example', 'DE75512108001245126199', 'SOLADEST600', 'Landeshauptkasse', 30, 'RE-')
       ON CONFLICT (tenant_ars) DO UPDATE SET country = $2`,
      [tenantArs, country],
    );
  const sequences = async (tenantArs: string) =>
    (
      await dataSource.query<{ sequence: string }[]>(
        'SELECT sequence::text AS sequence FROM erechnung.outbound_invoices WHERE tenant_ars = $1 ORDER BY outbound_invoices.sequence',
        [tenantArs],
      )
    ).map((r) => Number(r.sequence));

  beforeAll(async () => {
    db = await openTestDatabase('erechnung', ERECHNUNG_MIGRATIONS, { poolSize: 12 });
    dataSource = db.dataSource;
    validator = await XRechnungValidator.start({ workers: 2 });
    blobDir = await mkdtemp(join(tmpdir(), 'ps-erechnung-blobs-'));
    blobs = new FileSystemBlobStore(blobDir);
    useCase = new IssueFeeInvoiceUseCase(validator, new OutboundInvoicesRepository(), blobs);
    await addIssuer(BREMEN);
    await addIssuer(POTSDAM);
  }, 180_000);

  afterAll(async () => {
    await validator?.close();
    await db?.close();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  it('numbers 20 parallel issuances 1..20 without gaps or duplicates, and another tenant independently', async () => {
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => issue(fee(BREMEN))),
      ...Array.from({ length: 5 }, () => issue(fee(POTSDAM))),
    ]);
    expect(results.every((r) => r.outcome === 'issued')).toBe(true);
    expect(await sequences(BREMEN)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await sequences(POTSDAM)).toEqual([1, 2, 3, 4, 5]);
    const [counter] = await dataSource.query<{ last: string }[]>(
      'SELECT last_number::text AS last FROM erechnung.invoice_counters WHERE tenant_ars = $1',
      [BREMEN],
    );
    expect(counter?.last).toBe('20');
    const numbers = await dataSource.query<{ invoice_number: string; ubl: string }[]>(
      'SELECT invoice_number, ubl FROM erechnung.outbound_invoices WHERE tenant_ars = $1 AND sequence = 7',
      [BREMEN],
    );
    expect(numbers[0]?.invoice_number).toBe('RE-000007');
    expect((await readFeeInvoice(numbers[0]?.ubl ?? '')).invoice.number).toBe('RE-000007');
  });

  it('publishes invoice.issued through the outbox with a valid contract and the sha512 of both documents', async () => {
    const f = fee(BREMEN);
    const result = await issue(f);
    expect(result.outcome).toBe('issued');
    const [row] = await dataSource.query<{ envelope: { type: string; key?: string; payload: unknown; correlationId: string } }[]>(
      `SELECT envelope FROM erechnung.outbox WHERE envelope->>'type' = 'invoice.issued' AND envelope->'payload'->>'feeId' = $1`,
      [f.feeId],
    );
    expect(row?.envelope.correlationId).toBe(f.caseId);
    const payload = validateContract(OutboundInvoiceIssuedV1, row?.envelope.payload);
    expect(payload).toMatchObject({
      feeId: f.feeId,
      tenantArs: BREMEN,
      payableAmount: '30.70',
      kassenzeichen: f.kassenzeichen,
      vatCategory: 'O',
    });
    expect(payload.documents.map((d) => d.format)).toEqual(['ubl', 'cii']);
    // Both documents are in the shared blob store under the hashes the event names (the e-file files them from there).
    for (const d of payload.documents) {
      const chunks: Buffer[] = [];
      for await (const chunk of await blobs.open(d.sha512)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString('utf8')).toContain(
        d.format === 'ubl' ? 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2' : 'CrossIndustryInvoice',
      );
    }
  });

  it('issues one invoice per fee, however often and concurrently the fee arrives', async () => {
    const f = fee(POTSDAM);
    const [a, b, c] = await Promise.all([issue(f), issue(f), issue(f)]);
    const outcomes = [a, b, c].map((r) => r?.outcome).sort();
    expect(outcomes).toEqual(['already-issued', 'already-issued', 'issued']);
    const ids = new Set([a, b, c].map((r) => (r && 'invoiceId' in r ? r.invoiceId : undefined)));
    expect(ids.size).toBe(1);
    expect(await issue(f)).toMatchObject({ outcome: 'already-issued' });
    const [{ n }] = await dataSource.query<[{ n: number }]>(
      'SELECT count(*)::int AS n FROM erechnung.outbound_invoices WHERE fee_id = $1',
      [f.feeId],
    );
    expect(n).toBe(1);
  });

  it('keeps an invoice the engine rejects, never releases it and consumes no number', async () => {
    await addIssuer(BROKEN, 'XX'); // not an ISO 3166 country: BR-CL-14
    const rejected = await issue(fee(BROKEN));
    expect(rejected).toMatchObject({ outcome: 'invalid' });
    const [failure] = await dataSource.query<{ reason: string; reports: { ubl: { accepted: boolean; findings: { ruleId: string }[] } } }[]>(
      'SELECT reason, reports FROM erechnung.outbound_invoice_failures WHERE tenant_ars = $1',
      [BROKEN],
    );
    expect(failure?.reason).toBe('invalid');
    expect(failure?.reports.ubl.accepted).toBe(false);
    expect(await sequences(BROKEN)).toEqual([]);
    const [{ n }] = await dataSource.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM erechnung.outbox WHERE envelope->>'type' = 'invoice.issued' AND envelope->>'tenant' = $1`,
      [BROKEN],
    );
    expect(n).toBe(0);

    await addIssuer(BROKEN, 'DE'); // fixed by the admin: the next invoice gets number 1
    expect(await issue(fee(BROKEN))).toMatchObject({ outcome: 'issued', sequence: 1, invoiceNumber: 'RE-000001' });
  });

  it('records what is missing when the buyer cannot be invoiced, without a number', async () => {
    const noPayer = fee(POTSDAM, { payer: undefined });
    const before = await sequences(POTSDAM);
    expect(await issue(noPayer)).toMatchObject({ outcome: 'not-issuable', missing: ['payer'] });
    expect(await issue(fee('050000000000'))).toMatchObject({ outcome: 'not-issuable', missing: [expect.stringMatching(/^issuer/)] });
    expect(await sequences(POTSDAM)).toEqual(before);
  });

  it('leaves fees paid online alone', async () => {
    expect(await issue(fee(BREMEN, { paymentMethod: 'PAYPAL' }))).toEqual({ outcome: 'not-billed-by-invoice' });
    expect(await issue(fee(BREMEN, { kind: 'fee.not-required' }))).toEqual({ outcome: 'not-billed-by-invoice' });
  });
});
