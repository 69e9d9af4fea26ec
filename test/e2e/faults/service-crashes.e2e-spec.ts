import { KafkaProbe, SERVICES, Stack, loadAndVerify } from '@poststelle/testing';

const CASES = 1000;
const PROCEDURE = 'crash-procedure';

/**
 * 1,000 cases in flight while each of the five services in turn is killed with SIGKILL (no shutdown hooks run) and
 * started again. Afterwards every case is on its procedure topic under one message id, and every side-effect table
 * holds one row per case.
 */
describe('fault: SIGKILL of each service in turn while 1,000 cases are in flight', () => {
  let stack: Stack;
  let probe: KafkaProbe;

  beforeAll(async () => {
    stack = await new Stack().start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: '120540000000', leikaKey: '99050012104000', arsPrefix: '12', fee: '12.00' });
    probe = await new KafkaProbe().start([stack.topic(`procedure.${PROCEDURE}.cases.v1`)]);
  }, 120000);

  afterAll(async () => {
    await probe?.stop();
    await stack?.stop();
  }, 60000);

  it('loses nothing and repeats no side effect', async () => {
    const killed: string[] = [];
    const report = await loadAndVerify({
      label: 'service-crashes',
      stack,
      probe,
      procedureId: PROCEDURE,
      count: CASES,
      fault: async (load) => {
        // intake, routing, payment, erechnung, archive at 10 %, 25 %, 40 %, 55 %, 70 % of the accepted cases.
        for (const [i, name] of SERVICES.entries()) {
          await load.reached(CASES * (0.1 + 0.15 * i));
          await stack.service(name).kill();
          killed.push(name);
          await new Promise((r) => setTimeout(r, 1000));
          await stack.service(name).start();
        }
      },
    });
    expect(killed).toEqual([...SERVICES]);
    expect(report.violations).toEqual([]);
  }, 600000);
});
