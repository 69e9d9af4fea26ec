import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { CreateMessagingTables1732300000000 } from '@poststelle/messaging';
import { openDatabase } from '@poststelle/persistence';
import { pageOf, type PageRequest } from '@poststelle/platform';
import { createTestDatabase } from '@poststelle/testing';
import { PaymentSchema1732300000300 } from '../migrations/1732300000300-payment-schema.migration';
import { PaymentLifecycle1733620000000 } from '../migrations/1733620000000-payment-lifecycle.migration';
import { StatementsRepository } from './statements.repository';

// The clerk queue of unmatched statement items, paged oldest first and counted per tenant (real PostgreSQL).
describe('payment clerk queue pages and summary (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  const statements = new StatementsRepository();

  const enqueue = async (tenantArs: string, position: string, createdAt: string) => {
    const itemId = randomUUID();
    await dataSource.query(
      `INSERT INTO payment.clerk_queue (item_id, tenant_ars, import_id, position, amount, currency, direction, remittance, refs, reason, created_at)
       VALUES ($1, $2, $3, $4, '10.00', 'EUR', 'CRDT', 'x', '{}', 'no Kassenzeichen', $5)`,
      [itemId, tenantArs, randomUUID(), position, createdAt],
    );
    return itemId;
  };

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    dataSource = await openDatabase(
      { url: db.url, schema: 'payment', poolSize: 4 },
      [],
      [CreateMessagingTables1732300000000, PaymentSchema1732300000300, PaymentLifecycle1733620000000],
    );
  }, 60000);

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  it('pages oldest first through items of one statement without losing or repeating one; counts per tenant', async () => {
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
