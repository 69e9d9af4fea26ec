import { DedicatedPostgres, KafkaProbe, Stack, caseIdsOfKafkaSubmissions, loadAndVerify, submitViaKafka } from '@poststelle/testing';

const CASES = 1000;
/** Of the 1,000, published by a channel adapter on intake.submissions.v1 while the database is down. */
const VIA_KAFKA_DURING_OUTAGE = 100;
const PROCEDURE = 'pg-restart-procedure';
const DOWN_MS = 15000;

/**
 * PostgreSQL really stopped (`pg_ctl stop -m fast`: every connection dropped) and started again while 1,000 cases
 * flow. The database is a server of the test's own, never the machine's shared one. Portal submissions during the
 * outage fail and are retried by the load generator with the same Idempotency-Key, as a portal does; 100 cases are
 * published by a channel adapter on intake.submissions.v1 during the outage, so intake's consumer certainly meets
 * the dead database. Afterwards nothing is in any dead-letter topic, every case is on its procedure topic under one
 * message id, and every side-effect table holds one row per case.
 */
describe('fault: PostgreSQL stopped and started while 1,000 cases flow', () => {
  let pg: DedicatedPostgres;
  let stack: Stack;
  let probe: KafkaProbe;

  beforeAll(async () => {
    pg = await new DedicatedPostgres().start();
    stack = await new Stack({ databaseServerUrl: pg.url }).start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: '120540000000', leikaKey: '99050012104000', arsPrefix: '12', fee: '12.00' });
    probe = await new KafkaProbe().start([stack.topic(`procedure.${PROCEDURE}.cases.v1`)]);
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await stack?.stop();
    await pg?.destroy();
  }, 90000);

  it('dead-letters nothing, loses nothing and repeats no side effect', async () => {
    let outage = '';
    const report = await loadAndVerify({
      label: 'postgres-restart',
      stack,
      probe,
      procedureId: PROCEDURE,
      count: CASES - VIA_KAFKA_DURING_OUTAGE,
      fault: async (load) => {
        await load.reached(CASES * 0.3);
        const stopped = Date.now();
        await pg.stop('fast');
        const keys = await submitViaKafka(stack, VIA_KAFKA_DURING_OUTAGE);
        await new Promise((r) => setTimeout(r, DOWN_MS));
        await pg.startServer();
        outage = `PostgreSQL down ${((Date.now() - stopped) / 1000).toFixed(1)} s, ${load.accepted} portal cases accepted when it was back`;
        load.add(await caseIdsOfKafkaSubmissions(stack, keys));
      },
    });
    process.stdout.write(`postgres-restart: ${outage}\n`);
    expect(report.cases).toBe(CASES);
    expect(report.deadLetters).toEqual({});
    expect(report.violations).toEqual([]);
    // While the database was down, intake said so (503, try again), never 500.
    const failed = stack
      .processes()
      .flatMap((p) => p.errorLines)
      .filter((line) => line.includes('request failed'));
    if (failed.length > 0) process.stdout.write(`requests that failed:\n${failed.slice(-10).join('\n')}\n`);
    expect(report.serverErrors).toEqual([]);
    expect(Object.keys(report.retried).filter((cause) => /^5\d\d$/.test(cause) && cause !== '503')).toEqual([]);
  }, 600000);
});
