import { KafkaProbe, Stack, loadAndVerify } from '@poststelle/testing';

const CASES = 1000;
const PROCEDURE = 'twin-procedure';

/**
 * Two instances of every service at once (two consumers per group, two outbox relays competing for the relay lock,
 * one database, one blob directory, one namespace), the load spread over both intake instances. Every case arrives
 * exactly once.
 */
describe('fault: two instances of each service while 1,000 cases flow', () => {
  let stack: Stack;
  let probe: KafkaProbe;

  beforeAll(async () => {
    stack = await new Stack({ instances: 2 }).start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: '120540000000', leikaKey: '99050012104000', arsPrefix: '12', fee: '12.00' });
    probe = await new KafkaProbe().start([stack.topic(`procedure.${PROCEDURE}.cases.v1`)]);
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await stack?.stop();
  }, 60000);

  it('loses nothing and repeats no side effect', async () => {
    expect(stack.processes()).toHaveLength(10);
    const report = await loadAndVerify({ label: 'two-instances', stack, probe, procedureId: PROCEDURE, count: CASES });
    expect(report.violations).toEqual([]);
    const perIntake = stack.instancesOf('intake').map((s) => report.acceptedBy[s.baseUrl] ?? 0);
    expect(perIntake.every((n) => n >= CASES * 0.3)).toBe(true);
  }, 600000);
});
