import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { CreateMessagingTables1732300000000 } from '@poststelle/messaging';
import { openDatabase } from '@poststelle/persistence';
import { camt053, camt054, createTestDatabase, strictMock } from '@poststelle/testing';
import { formatKassenzeichen } from '../domain/kassenzeichen';
import { PaymentSchema1732300000300 } from '../migrations/1732300000300-payment-schema.migration';
import { PaymentLifecycle1733620000000 } from '../migrations/1733620000000-payment-lifecycle.migration';
import { PaymentNoticeRefunds1733700000000 } from '../migrations/1733700000000-payment-notice-refunds.migration';
import { PaymentsRepository } from '../payments/payments.repository';
import { TransitionPaymentUseCase } from '../payments/transition-payment.use-case';
import { CredentialsCipher } from '../provider/credentials-cipher';
import { ProviderRepository } from '../provider/provider.repository';
import { RefundPaymentUseCase } from '../refunds/refund-payment.use-case';
import { RefundsRepository } from '../refunds/refunds.repository';
import { ImportStatementUseCase } from './import-statement.use-case';
import { ReconcileItemsUseCase } from './reconcile-items.use-case';
import { type StatementWorker } from './statement-worker';
import { StatementsRepository } from './statements.repository';

const TENANT = '120540000000';
const KEY = 'a'.repeat(64);

describe('one booking per bank transaction, refunds and provider credentials, against PostgreSQL', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let seq = 0;
  const payments = new PaymentsRepository();
  const statements = new StatementsRepository();
  const refundsRepo = new RefundsRepository();
  let imports: ImportStatementUseCase;
  let reconcile: ReconcileItemsUseCase;
  let refunds: RefundPaymentUseCase;

  const newPayment = async (amountDue = '30.50') => {
    seq += 1;
    const paymentId = randomUUID();
    const kassenzeichen = formatKassenzeichen(TENANT, 2026, seq);
    await payments.insert(dataSource.manager, {
      paymentId,
      caseId: randomUUID(),
      feeId: paymentId,
      tenantArs: TENANT,
      leikaKey: '99050012104000',
      kassenzeichen,
      portalReference: null,
      amountDue,
      currency: 'EUR',
      policy: 'deferred',
      bookingText: 'TEST',
      paymentMethod: null,
      providerTransactionId: null,
    });
    return { paymentId, kassenzeichen };
  };
  const importAndReconcile = async (xml: string) => {
    const receipt = await imports.execute(Buffer.from(xml), TENANT, { actor: 'test', source: 'api' });
    while ((await reconcile.runChunk(50)) > 0);
    return {
      status: (await statements.byId(dataSource.manager, receipt.importId, null))!,
      items: (await statements.items(dataSource.manager, receipt.importId)) as { state: string; outcome: string; duplicateOf: unknown }[],
      importId: receipt.importId,
    };
  };
  const payment = async (paymentId: string) => (await payments.byId(dataSource.manager, paymentId, null))!;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    dataSource = await openDatabase(
      { url: db.url, schema: 'payment', poolSize: 6 },
      [],
      [CreateMessagingTables1732300000000, PaymentSchema1732300000300, PaymentLifecycle1733620000000, PaymentNoticeRefunds1733700000000],
    );
    const transition = new TransitionPaymentUseCase(payments);
    refunds = new RefundPaymentUseCase(dataSource, payments, refundsRepo, transition);
    imports = new ImportStatementUseCase(
      dataSource,
      statements,
      strictMock<StatementWorker>('StatementWorker', { nudge: () => undefined }),
    );
    reconcile = new ReconcileItemsUseCase(dataSource, statements, payments, refunds);
  }, 60000);

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  it('books a credit once when the intraday camt.054 and the day’s camt.053 both report it, and says which import booked it', async () => {
    const { paymentId, kassenzeichen } = await newPayment();
    const entry = { amount: '30.50', ustrd: [`KZ ${kassenzeichen}`], acctSvcrRef: `BANKREF-${seq}` };
    const intraday = await importAndReconcile(camt054(`N-${randomUUID()}`, 'N-1', [[entry]]));
    expect(intraday.status).toMatchObject({ kind: 'camt.054', booked: 1, alreadyBooked: 0 });
    expect(await payment(paymentId)).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });

    const messageId = `S-${randomUUID()}`;
    const statement = await importAndReconcile(camt053(messageId, 'S-1', [[entry], [{ amount: '30.50', ustrd: ['UNKNOWN'] }]]));
    expect(statement.status).toMatchObject({ kind: 'camt.053', total: 2, done: 2, booked: 0, alreadyBooked: 1, queued: 1 });
    expect(statement.items[0]).toMatchObject({
      state: 'already-booked',
      duplicateOf: { importId: intraday.importId, kind: 'camt.054', position: '0.0.0' },
    });
    expect(statement.items[0]!.outcome).toContain(`already booked by import ${intraday.importId}`);
    expect(await payment(paymentId)).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });
    expect((await payments.history(dataSource.manager, paymentId)).map((h) => (h as { to: string }).to)).toEqual(['BOOKED']);
  });

  it('without bank references, the same amount, booking date and Kassenzeichen in a camt.054 and a camt.053 is one credit; two credits in one statement are two', async () => {
    const { paymentId, kassenzeichen } = await newPayment('20.00');
    const credit = { amount: '10.00', ustrd: [kassenzeichen] };
    await importAndReconcile(camt054(`N-${randomUUID()}`, 'N-2', [[credit]]));
    const statement = await importAndReconcile(camt053(`S-${randomUUID()}`, 'S-2', [[credit], [credit]]));
    expect(statement.items.map((i) => i.state)).toEqual(['already-booked', 'booked']);
    expect(await payment(paymentId)).toMatchObject({ status: 'BOOKED', amountPaid: '20.00' });
  });

  it('two camt.054 notifications of two equal transfers book both; different bank references are different transfers', async () => {
    const { paymentId, kassenzeichen } = await newPayment('20.00');
    await importAndReconcile(camt054(`N-${randomUUID()}`, 'N-3', [[{ amount: '10.00', ustrd: [kassenzeichen] }]]));
    await importAndReconcile(camt054(`N-${randomUUID()}`, 'N-4', [[{ amount: '10.00', ustrd: [kassenzeichen] }]]));
    expect(await payment(paymentId)).toMatchObject({ status: 'BOOKED', amountPaid: '20.00' });
    const other = await newPayment('20.00');
    await importAndReconcile(
      camt054(`N-${randomUUID()}`, 'N-5', [[{ amount: '10.00', ustrd: [other.kassenzeichen], acctSvcrRef: 'R-A' }]]),
    );
    await importAndReconcile(
      camt053(`S-${randomUUID()}`, 'S-5', [[{ amount: '10.00', ustrd: [other.kassenzeichen], acctSvcrRef: 'R-B' }]]),
    );
    expect(await payment(other.paymentId)).toMatchObject({ status: 'BOOKED', amountPaid: '20.00' });
  });

  it('pairs a camt.054 and a camt.053 of the same credit reconciled in one chunk, and books it once', async () => {
    const { paymentId, kassenzeichen } = await newPayment();
    const entry = { amount: '30.50', ustrd: [`KZ ${kassenzeichen}`] };
    const intraday = await imports.execute(Buffer.from(camt054(`N-${randomUUID()}`, 'N-9', [[entry]])), TENANT, {
      actor: 'test',
      source: 'api',
    });
    const daily = await imports.execute(Buffer.from(camt053(`S-${randomUUID()}`, 'S-9', [[entry]])), TENANT, {
      actor: 'test',
      source: 'api',
    });
    expect(await reconcile.runChunk(50)).toBe(2);
    const items = async (importId: string) =>
      (await statements.items(dataSource.manager, importId)) as { state: string; duplicateOf: unknown }[];
    expect((await items(intraday.importId)).map((i) => i.state)).toEqual(['booked']);
    expect(await items(daily.importId)).toMatchObject([{ state: 'already-booked', duplicateOf: { importId: intraday.importId } }]);
    expect(await payment(paymentId)).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });
    const bookings = await dataSource.query<{ importId: string; pairedImportId: string }[]>(
      `SELECT import_id AS "importId", paired_import_id AS "pairedImportId" FROM payment.statement_bookings WHERE payment_id = $1 ORDER BY kind DESC`,
      [paymentId],
    );
    expect(bookings).toEqual([
      { importId: intraday.importId, pairedImportId: daily.importId },
      { importId: daily.importId, pairedImportId: intraday.importId },
    ]);
  });

  it('within one chunk, each item sees the ones before it: history and events in order, open payments counted after the booking', async () => {
    const first = await newPayment('77.70');
    await newPayment('77.70');
    const split = await newPayment('20.00');
    const { items } = await importAndReconcile(
      camt053(`S-${randomUUID()}`, 'S-10', [
        [{ amount: '77.70', ustrd: [first.kassenzeichen] }],
        [{ amount: '77.70', ustrd: ['NO REFERENCE'] }],
        [{ amount: '5.00', ustrd: [split.kassenzeichen] }],
        [{ amount: '15.00', ustrd: [split.kassenzeichen] }],
      ]),
    );
    expect(items.map((i) => i.state)).toEqual(['booked', 'queued', 'booked', 'booked']);
    expect(items[1]!.outcome).toContain('1 open payment(s) of this tenant are due exactly 77.70');
    expect(items.map((i) => i.outcome)).toEqual(['credit → BOOKED', items[1]!.outcome, 'credit → PARTIALLY_PAID', 'credit → BOOKED']);
    expect((await payments.history(dataSource.manager, split.paymentId)).map((h) => (h as { to: string }).to)).toEqual([
      'PARTIALLY_PAID',
      'BOOKED',
    ]);
    const events = await dataSource.query<{ previous: string; status: string }[]>(
      `SELECT envelope->'payload'->>'previousStatus' AS previous, envelope->'payload'->>'status' AS status FROM payment.outbox
        WHERE envelope->'payload'->>'paymentId' = $1 ORDER BY seq`,
      [split.paymentId],
    );
    expect(events).toEqual([
      { previous: 'INITIAL', status: 'PARTIALLY_PAID' },
      { previous: 'PARTIALLY_PAID', status: 'BOOKED' },
    ]);
    const queued = await dataSource.query<{ reason: string }[]>(
      `SELECT reason FROM payment.clerk_queue WHERE position = $1 AND reason LIKE '%77.70'`,
      ['0.1.0'],
    );
    expect(queued).toHaveLength(1);
  });

  it('records a refund once per request id; the bank’s debit naming the Kassenzeichen then confirms it instead of refunding twice', async () => {
    const { paymentId, kassenzeichen } = await newPayment();
    await importAndReconcile(camt053(`S-${randomUUID()}`, 'S-6', [[{ amount: '35.50', ustrd: [kassenzeichen] }]]));
    expect(await payment(paymentId)).toMatchObject({ status: 'OVERPAID', amountPaid: '35.50' });
    const clerk = { subject: 'clerk-potsdam', clientId: 'c', roles: ['caseworker'], tenants: [TENANT], channels: [], mayAssert: [] };
    const first = await refunds.record(clerk, paymentId, { amount: '5.00', reason: 'overpayment paid back', requestId: 'r-1' });
    expect(first).toMatchObject({ status: 'BOOKED', amountPaid: '30.50', replayed: false });
    const again = await refunds.record(clerk, paymentId, { amount: '5.00', reason: 'overpayment paid back', requestId: 'r-1' });
    expect(again).toMatchObject({ replayed: true, refund: { refundId: first.refund.refundId } });
    await expect(refunds.record(clerk, paymentId, { amount: '6.00', reason: 'other', requestId: 'r-1' })).rejects.toThrow(
      /already recorded/,
    );
    await expect(refunds.record(clerk, paymentId, { amount: '40.00', reason: 'too much', requestId: 'r-2' })).rejects.toThrow(
      /more than the 30.50 paid/,
    );
    const other = { ...clerk, tenants: ['010010000000'] };
    await expect(refunds.record(other, paymentId, { amount: '1.00', reason: 'x', requestId: 'r-3' })).rejects.toThrow(/no payment/);

    const outflow = await importAndReconcile(
      camt053(`S-${randomUUID()}`, 'S-7', [[{ amount: '5.00', direction: 'DBIT', ustrd: [kassenzeichen] }]]),
    );
    expect(outflow.items[0]!.outcome).toContain('confirms the refund of 5.00 recorded by clerk-potsdam');
    expect(await payment(paymentId)).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });

    const full = await importAndReconcile(
      camt053(`S-${randomUUID()}`, 'S-8', [[{ amount: '30.50', direction: 'DBIT', ustrd: [kassenzeichen] }]]),
    );
    expect(full.items[0]!.outcome).toBe('refund → REFUNDED');
    expect(await payment(paymentId)).toMatchObject({ status: 'REFUNDED', amountPaid: '0.00' });
    const recorded = await refundsRepo.ofPayment(dataSource.manager, paymentId);
    expect(recorded.map((r) => [r.origin, r.amount, r.confirmedBy !== null])).toEqual([
      ['api', '5.00', true],
      ['statement', '5.00', true],
      ['statement', '30.50', false],
    ]);
  });

  it('stores provider credentials only encrypted; reading them back decrypts; clear rows from before are encrypted', async () => {
    const repo = new ProviderRepository({ provider: { credentialsKey: KEY } as never });
    const config = { tenantArs: TENANT, endpoint: 'http://127.0.0.1:1', merchantId: 'potsdam/ep-1', credentials: 'potsdam:geheim-4711' };
    await repo.upsertConfig(dataSource.manager, config, 'admin');
    const [stored] = await dataSource.query<{ credentials: string }[]>(
      'SELECT credentials FROM payment.provider_configs WHERE tenant_ars = $1',
      [TENANT],
    );
    expect(stored!.credentials).not.toContain('geheim');
    expect(stored!.credentials).toMatch(/^enc:v1:/);
    expect(await repo.config(dataSource.manager, TENANT)).toEqual(config);
    // Another key does not read it.
    expect(() => new CredentialsCipher('b'.repeat(64)).decrypt(stored!.credentials, TENANT)).toThrow();

    await dataSource.query(
      `INSERT INTO payment.provider_configs (tenant_ars, endpoint, merchant_id, credentials, updated_by) VALUES ('010010000000', 'http://x', 'a/b', 'old:clear', 'x')`,
    );
    expect(await dataSource.transaction((m) => repo.encryptLegacyCredentials(m))).toBe(1);
    const [legacy] = await dataSource.query<{ credentials: string }[]>(
      `SELECT credentials FROM payment.provider_configs WHERE tenant_ars = '010010000000'`,
    );
    expect(legacy!.credentials).not.toContain('clear');
    expect((await repo.config(dataSource.manager, '010010000000'))!.credentials).toBe('old:clear');
  });
});
