import { KafkaCluster, KafkaProbe, Stack, loadAndVerify } from '@poststelle/testing';

const CASES = 1000;
const PROCEDURE = 'broker-loss-procedure';
const DOWN_MS = 20000;

/**
 * A real 3-node KRaft cluster (deploy/local/infra.sh, replication factor 3, min.insync.replicas 2): one broker is
 * SIGKILLed while 1,000 cases flow and started again 20 s later. Every case is on its procedure topic under one
 * message id, and no side effect happens twice.
 */
describe('fault: one broker of three killed while 1,000 cases flow', () => {
  let cluster: KafkaCluster;
  let stack: Stack;
  let probe: KafkaProbe;

  beforeAll(async () => {
    cluster = await new KafkaCluster(3).start();
    stack = await new Stack({
      kafkaBrokers: cluster.brokers,
      extraEnv: { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' },
    }).start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: '120540000000', leikaKey: '99050012104000', arsPrefix: '12', fee: '12.00' });
    probe = await new KafkaProbe({ brokers: cluster.brokers, replicationFactor: 3 }).start([
      stack.topic(`procedure.${PROCEDURE}.cases.v1`),
    ]);
  }, 300000);

  afterAll(async () => {
    await probe?.stop();
    await stack?.stop();
    await cluster?.stop();
  }, 120000);

  it('loses nothing and repeats no side effect', async () => {
    const report = await loadAndVerify({
      label: 'broker-loss',
      stack,
      probe,
      procedureId: PROCEDURE,
      count: CASES,
      fault: async (load) => {
        await load.reached(CASES * 0.3);
        // Node 1 is the first bootstrap broker of every client.
        await cluster.kill(1);
        await new Promise((r) => setTimeout(r, DOWN_MS));
        await cluster.restartNode(1);
      },
    });
    expect(report.violations).toEqual([]);
  }, 600000);
});
