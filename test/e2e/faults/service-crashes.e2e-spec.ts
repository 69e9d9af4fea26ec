import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { KafkaProbe, Stack, portalSubmission, waitFor } from '@poststelle/testing';

const CASES = 1000;
const PROCEDURE = 'crash-procedure';

/**
 * 1,000 cases in flight while routing is killed with SIGKILL (no shutdown hooks) and restarted. Afterwards every
 * case is on its procedure topic as exactly one distinct message, and every side-effect table holds one row per case.
 */
describe('crash recovery: SIGKILL a service while 1,000 cases are in flight', () => {
  let stack: Stack;
  let probe: KafkaProbe;
  let db: Client;

  beforeAll(async () => {
    stack = await new Stack().start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: '120540000000', leikaKey: '99050012104000', arsPrefix: '12', fee: '12.00' });
    probe = await new KafkaProbe().start([stack.topic(`procedure.${PROCEDURE}.cases.v1`)]);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 120000);

  afterAll(async () => {
    await probe?.stop();
    await db?.end();
    await stack?.stop();
  }, 60000);

  it('loses nothing and duplicates no side effect', async () => {
    const caseIds = new Set<string>();
    let next = 0;
    let killed = false;
    let restarted: Promise<void> | undefined;

    const submitOne = async (): Promise<void> => {
      const key = randomUUID();
      for (let attempt = 1; ; attempt += 1) {
        try {
          const res = await fetch(`${stack.url('intake')}/v1/submissions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(portalSubmission()),
          });
          if (res.status !== 202) throw new Error(`status ${res.status}: ${await res.text()}`);
          caseIds.add(((await res.json()) as { caseId: string }).caseId);
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    };
    const worker = async () => {
      while (next < CASES) {
        next += 1;
        await submitOne();
        if (!killed && caseIds.size >= CASES * 0.3) {
          killed = true;
          await stack.service('routing').kill();
          restarted = new Promise((r) => setTimeout(r, 1000)).then(() => stack.service('routing').start());
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await restarted;
    expect(killed).toBe(true);
    expect(caseIds.size).toBe(CASES);

    const topic = stack.topic(`procedure.${PROCEDURE}.cases.v1`);
    await waitFor(
      `all ${CASES} cases on the procedure topic`,
      () => Promise.resolve(new Set(probe.on(topic).map((m) => m.key)).size >= CASES),
      180000,
      500,
    );
    const tables = ['routing.routing_decisions', 'payment.payment_dues', 'erechnung.fee_records', 'archive.e_files'];
    for (const table of tables) {
      await waitFor(
        `${table} complete`,
        async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n >= CASES,
        120000,
        500,
      );
    }
    // Give redeliveries after the restart time to show up if there were any.
    await new Promise((r) => setTimeout(r, 2000));

    const messageIdsByCase = new Map<string, Set<string>>();
    for (const m of probe.on(topic)) {
      const ids = messageIdsByCase.get(m.key!) ?? new Set<string>();
      ids.add((JSON.parse(m.value!) as { id: string }).id);
      messageIdsByCase.set(m.key!, ids);
    }
    expect(new Set(messageIdsByCase.keys())).toEqual(caseIds);
    const routedTwice = [...messageIdsByCase.entries()].filter(([, ids]) => ids.size !== 1);
    expect(routedTwice).toEqual([]);

    for (const table of tables) {
      const { rows } = await db.query<{ n: number; distinct_cases: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT case_id)::int AS distinct_cases FROM ${table}`,
      );
      expect({ table, ...rows[0] }).toEqual({ table, n: CASES, distinct_cases: CASES });
    }
    const physical = probe.on(topic).length;
    process.stdout.write(
      `crash-recovery: ${CASES} cases, ${physical} physical messages on the procedure topic (${physical - CASES} at-least-once republications, same message id)\n`,
    );
  }, 600000);
});
