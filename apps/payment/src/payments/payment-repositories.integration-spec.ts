import { pageOf, type PageRequest } from '@poststelle/platform';
import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { CreateMessagingTables1732300000000 } from '@poststelle/messaging';
import { openDatabase } from '@poststelle/persistence';
import { createTestDatabase } from '@poststelle/testing';
import { PaymentSchema1732300000300 } from '../migrations/1732300000300-payment-schema.migration';
import { PaymentLifecycle1733620000000 } from '../migrations/1733620000000-payment-lifecycle.migration';
import { PaymentNoticeRefunds1733700000000 } from '../migrations/1733700000000-payment-notice-refunds.migration';
import { type CamtItem } from '../statements/camt-parser';
import { StatementsRepository } from '../statements/statements.repository';
import { PaymentsRepository } from './payments.repository';

const TENANT = '120540000000';

describe('payment repositories against PostgreSQL', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  const payments = new PaymentsRepository();
  const statements = new StatementsRepository();

  const newPayment = async (kassenzeichen: string, tenantArs = TENANT) => {
    const paymentId = randomUUID();
    await payments.insert(dataSource.manager, {
      paymentId,
      caseId: randomUUID(),
      feeId: paymentId,
      tenantArs,
      leikaKey: '99050012104000',
      kassenzeichen,
      portalReference: null,
      amountDue: '30.50',
      currency: 'EUR',
      policy: 'deferred',
      bookingText: 'TEST',
      paymentMethod: null,
      providerTransactionId: null,
    });
    return paymentId;
  };

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    dataSource = await openDatabase(
      { url: db.url, schema: 'payment', poolSize: 12 },
      [],
      [CreateMessagingTables1732300000000, PaymentSchema1732300000300, PaymentLifecycle1733620000000, PaymentNoticeRefunds1733700000000],
    );
  }, 60000);

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  it('hands out Kassenzeichen numbers per tenant and year without gaps or duplicates under concurrency', async () => {
    const seqs = await Promise.all(Array.from({ length: 20 }, () => dataSource.transaction((m) => payments.nextSequence(m, TENANT, 2026))));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await dataSource.transaction((m) => payments.nextSequence(m, '010010000000', 2026))).toBe(1);
  });

  it('records a transition once per request id, and refuses a second payment with the same Kassenzeichen in a tenant', async () => {
    const id = await newPayment('12054-2026-0000001-0');
    const t = { from: 'INITIAL' as const, to: 'BOOKED' as const, amountPaid: '30.50', reason: 'r', source: 's', requestId: 'req-1' };
    expect(await payments.recordTransition(dataSource.manager, id, t)).toBe(true);
    expect(await payments.recordTransition(dataSource.manager, id, { ...t, to: 'OVERPAID', amountPaid: '61.00' })).toBe(false);
    expect(await payments.byId(dataSource.manager, id, null)).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });
    await expect(newPayment('12054-2026-0000001-0')).rejects.toThrow(/duplicate key/);
    await newPayment('12054-2026-0000001-0', '010010000000');
  });

  it('finds candidates only in the tenant, and scopes reads by tenant prefix', async () => {
    const id = await newPayment('12054-2026-0000002-9');
    expect((await payments.lockCandidates(dataSource.manager, TENANT, ['12054-2026-0000002-9'], [])).map((p) => p.paymentId)).toEqual([id]);
    expect(await payments.lockCandidates(dataSource.manager, '010010000000', ['12054-2026-0000002-9'], [])).toEqual([]);
    expect(await payments.byId(dataSource.manager, id, ['01001'])).toBeUndefined();
    expect(await payments.byId(dataSource.manager, id, ['12054'])).toBeDefined();
  });

  it('records a chunk of transitions at once: history in the given order, each payment at its last state, request ids known', async () => {
    const a = await newPayment('12054-2026-0000011-4');
    const b = await newPayment('12054-2026-0000012-2');
    const row = (
      paymentId: string,
      from: 'INITIAL' | 'PARTIALLY_PAID' | null,
      to: 'PARTIALLY_PAID' | 'BOOKED',
      amountPaid: string,
      requestId: string,
    ) => ({
      paymentId,
      from,
      to,
      amountPaid,
      reason: `${to} by ${requestId}`,
      source: 'statement',
      requestId,
    });
    const openBefore = (await payments.openByAmount(dataSource.manager, [{ tenantArs: TENANT, amount: '30.5' }]))[0]!.n;
    expect(openBefore).toBeGreaterThanOrEqual(2);
    await dataSource.transaction((m) =>
      payments.recordTransitions(m, [
        row(a, 'INITIAL', 'PARTIALLY_PAID', '10.00', 'r-a1'),
        row(b, 'INITIAL', 'BOOKED', '30.50', 'r-b1'),
        row(a, 'PARTIALLY_PAID', 'BOOKED', '30.50', 'r-a2'),
      ]),
    );
    expect(await payments.byId(dataSource.manager, a, null)).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });
    expect(await payments.byId(dataSource.manager, b, null)).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });
    expect((await payments.history(dataSource.manager, a)).map((h) => (h as { requestId: string }).requestId)).toEqual(['r-a1', 'r-a2']);
    const known = await payments.recordedRequests(dataSource.manager, [a, b], ['r-a2', 'r-b1', 'r-x']);
    expect(known.map((k) => `${k.paymentId === a ? 'a' : 'b'}:${k.requestId}`).sort()).toEqual(['a:r-a2', 'b:r-b1']);
    const openAfter = (await payments.openByAmount(dataSource.manager, [{ tenantArs: TENANT, amount: '30.50' }]))[0]!.n;
    expect(openAfter).toBe(openBefore - 2);
    await expect(
      dataSource.transaction((m) => payments.recordTransitions(m, [row(a, 'BOOKED' as never, 'BOOKED', '30.50', 'r-a1')])),
    ).rejects.toThrow(/duplicate key/);
  });

  it('knows a statement again by message and statement ids; the same ids with other content are a conflict', async () => {
    const imp = {
      importId: randomUUID(),
      tenantArs: TENANT,
      messageId: 'M-1',
      statementIds: ['S-2', 'S-1'],
      kind: 'camt.053',
      version: '08',
      source: 'api' as const,
      fileName: null,
      sha256: 'a'.repeat(64),
      total: 0,
      importedBy: 'test',
    };
    expect(await statements.create(dataSource.manager, imp)).toEqual({ importId: imp.importId, created: true });
    expect(await statements.create(dataSource.manager, { ...imp, importId: randomUUID(), statementIds: ['S-1', 'S-2'] })).toEqual({
      importId: imp.importId,
      created: false,
    });
    await expect(statements.create(dataSource.manager, { ...imp, importId: randomUUID(), sha256: 'b'.repeat(64) })).rejects.toThrow(
      /different content/,
    );
  });

  it('lets two workers claim disjoint items, and counts progress per chunk', async () => {
    const importId = randomUUID();
    const item = (position: string): CamtItem => ({
      position,
      statementId: 'S',
      amount: '1.00',
      currency: 'EUR',
      direction: 'CRDT',
      reversal: false,
      status: 'BOOK',
      bookingDate: undefined,
      remittance: '',
      structuredRefs: [],
      endToEndId: undefined,
      returnReasonCode: undefined,
      charges: [],
      batchSize: undefined,
      debtorName: undefined,
    });
    await dataSource.transaction(async (m) => {
      await statements.create(m, {
        importId,
        tenantArs: TENANT,
        messageId: `M-${importId}`,
        statementIds: ['S'],
        kind: 'camt.053',
        version: '08',
        source: 'api',
        fileName: null,
        sha256: 'c'.repeat(64),
        total: 4,
        importedBy: 'test',
      });
      await statements.addItems(m, importId, ['0.0.0', '0.1.0', '0.2.0', '0.3.0'].map(item));
    });
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const first = await statements.claimPending(runner.manager, 2);
    const second = await dataSource.transaction((m) => statements.claimPending(m, 10));
    expect(first.map((c) => c.position)).toEqual(['0.0.0', '0.1.0']);
    expect(second.map((c) => c.position)).toEqual(['0.2.0', '0.3.0']);
    await statements.settleItems(
      runner.manager,
      first.map((c) => ({ importId, position: c.position, state: 'booked' as const, paymentId: null, text: 'ok' })),
    );
    await runner.commitTransaction();
    await runner.release();
    expect(await statements.byId(dataSource.manager, importId, null)).toMatchObject({ state: 'running', done: 2, booked: 2 });
    await statements.settleItems(
      dataSource.manager,
      second.map((c) => ({ importId, position: c.position, state: 'queued' as const, paymentId: null, text: 'q' })),
    );
    expect(await statements.byId(dataSource.manager, importId, null)).toMatchObject({ state: 'done', done: 4, booked: 2, queued: 2 });
  });

  const enqueue = async (tenantArs: string, position: string, createdAt: string) => {
    const itemId = randomUUID();
    await dataSource.query(
      `INSERT INTO payment.clerk_queue (item_id, tenant_ars, import_id, position, amount, currency, direction, remittance, refs, reason, created_at)
       VALUES ($1, $2, $3, $4, '10.00', 'EUR', 'CRDT', 'x', '{}', 'no Kassenzeichen', $5)`,
      [itemId, tenantArs, randomUUID(), position, createdAt],
    );
    return itemId;
  };

  it('pages the clerk queue oldest first through items of one statement without losing or repeating one; counts per tenant', async () => {
    const at = '2024-06-01T09:00:00.000001Z';
    const potsdam = [
      await enqueue('120540000000', '1/1', at),
      await enqueue('120540000000', '1/2', at),
      await enqueue('120540000000', '1/3', at),
    ];
    const later = await enqueue('120540000000', '2/1', '2024-06-02T09:00:00Z');
    await enqueue('010010000000', '1/1', '2024-05-01T09:00:00Z');
    const seen: string[] = [];
    let after: PageRequest['after'] = null;
    do {
      const rows = await statements.queue(dataSource.manager, ['12054'], 'open', { limit: 2, after });
      const page = pageOf(rows, 2, (r) => [r.cursorAt, r.position, r.itemId]);
      seen.push(...page.items.map((r) => r.itemId));
      const last = page.items[page.items.length - 1];
      after = page.nextCursor && last ? [last.cursorAt, last.position, last.itemId] : null;
    } while (after);
    expect(seen).toEqual([...potsdam, later]);
    expect(await statements.openQueueSummary(dataSource.manager, ['12054'])).toEqual({ count: 4, oldestAt: new Date(at) });
    expect(await statements.openQueueSummary(dataSource.manager, null)).toEqual({ count: 5, oldestAt: new Date('2024-05-01T09:00:00Z') });
    expect(await statements.openQueueSummary(dataSource.manager, [])).toEqual({ count: 0, oldestAt: null });
  });
});
