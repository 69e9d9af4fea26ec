import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Stack, largeStatement, seedOpenPayments, waitFor } from '@poststelle/testing';

const TENANT = '120540000000';
const ENTRIES = 10000;

/**
 * The payment service is killed with SIGKILL (no shutdown hooks) while it reconciles a 10,000-entry statement, and
 * started again: the import resumes where its last committed chunk ended, and every match is booked exactly once.
 */
describe('fault: SIGKILL of payment during the import of a 10,000-entry statement', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await new Stack({ extraEnv: { STATEMENT_CHUNK_SIZE: '250' } }).start();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 120000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60000);

  it('books every match exactly once and finishes the import after the restart', async () => {
    const { xml, matching } = largeStatement(`CRASH-${randomUUID()}`, TENANT, ENTRIES);
    await seedOpenPayments(db, TENANT, matching);
    const res = await stack.json<{ importId: string; total: number }>('payment', '/v1/statements', {
      as: 'admin-potsdam',
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: xml,
    });
    expect(res.status).toBe(202);
    expect(res.body.total).toBe(ENTRIES);
    const progress = async () =>
      (
        await stack.json<{ state: string; done: number; total: number; booked: number; queued: number }>(
          'payment',
          `/v1/statements/${res.body.importId}`,
          { as: 'admin-potsdam' },
        )
      ).body;

    await waitFor('a fifth of the entries done', async () => (await progress()).done >= ENTRIES / 5, 120000, 50);
    const before = await progress();
    expect(before.state).toBe('running');
    await stack.service('payment').kill();
    await new Promise((r) => setTimeout(r, 1000));
    await stack.service('payment').start();

    const done = await waitFor(
      'import finished after the restart',
      async () => {
        const p = await progress();
        return p.state === 'done' && p;
      },
      240000,
      500,
    );
    expect(done).toMatchObject({ done: ENTRIES, total: ENTRIES, booked: matching.length, queued: ENTRIES - matching.length });

    const booked = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM payment.payments WHERE kassenzeichen = ANY($1::text[]) GROUP BY status`,
      [matching],
    );
    expect(booked.rows).toEqual([{ status: 'BOOKED', n: matching.length }]);
    const transitions = await db.query<{ n: number; payments: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT payment_id)::int AS payments FROM payment.payment_history WHERE to_status = 'BOOKED'`,
    );
    expect(transitions.rows[0]).toEqual({ n: matching.length, payments: matching.length });
    const queue = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payment.clerk_queue WHERE import_id = $1`, [
      res.body.importId,
    ]);
    expect(queue.rows[0]!.n).toBe(ENTRIES - matching.length);
  }, 420000);
});
