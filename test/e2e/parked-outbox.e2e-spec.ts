import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { KafkaProbe, Stack, portalSubmission, testKafka, waitFor } from '@poststelle/testing';

const PROCEDURE = 'parked-parking';
/** The broker's limit on cases.received.v1, below what one large (but valid) case needs. */
const TOPIC_LIMIT = 12 * 1024;

interface Health {
  status: string;
  problems: { code: string; detail: string }[];
}

/**
 * A case event the broker refuses (the topic's limit was set too low by hand) is parked with its reason instead of
 * blocking intake's relay: the cases after it are routed, also after intake restarts; the case and /health say what
 * is wrong; once the limit is raised, an operator's retry publishes it and the case is routed.
 */
describe('parked outbox rows: one unpublishable case never strands the others', () => {
  let stack: Stack;
  let probe: KafkaProbe;
  let db: Client;
  const submit = async (body: Record<string, unknown>) => {
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    return res.body.caseId;
  };
  const routed = (caseId: string) =>
    waitFor(
      `case ${caseId} on the procedure topic`,
      () => Promise.resolve(probe.on(stack.topic(`procedure.${PROCEDURE}.cases.v1`)).some((m) => m.key === caseId)),
      60000,
      200,
    );

  beforeAll(async () => {
    stack = new Stack();
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: stack.topic('cases.received.v1'),
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'max.message.bytes', value: String(TOPIC_LIMIT) }],
        },
      ],
    });
    await admin.disconnect();
    await stack.start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: '120540000000', leikaKey: '99050012104000', arsPrefix: '12' });
    probe = await new KafkaProbe().start([stack.topic(`procedure.${PROCEDURE}.cases.v1`)]);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await db?.end();
    await stack?.stop();
  }, 60000);

  it('parks the refused case, routes every other, shows the problem, and publishes it on retry', async () => {
    // A valid application whose inline form (below the claim-check threshold) makes its event larger than the topic allows.
    const large = portalSubmission({
      formData: {
        schemaUri: 'urn:xoev-de:fim:standard:xfall_parking_1.0',
        mimeType: 'application/json',
        content: { plate: 'P-AB 123', zone: 'B', remarks: 'Anwohnerparken '.repeat(1500) },
      },
    });
    const stuck = await submit(large);
    const before = await submit(portalSubmission());
    await routed(before);

    const parked = await waitFor('the parked row', async () => {
      const r = await stack.json<{ items: { seq: string; key: string; reasonCode: string; reason: string; eventType: string }[] }>(
        'intake',
        '/v1/ops/outbox/parked?state=parked',
      );
      return r.body.items.length === 1 ? r.body.items[0] : undefined;
    });
    expect(parked).toMatchObject({ key: stuck, reasonCode: 'REFUSED_BY_BROKER', eventType: 'case.received' });
    expect(parked.reason).toMatch(/MESSAGE_TOO_LARGE/);

    const kase = await stack.json<{ status: string; publicationProblems?: { reasonCode: string; repair: string }[] }>(
      'intake',
      `/v1/cases/${stuck}`,
    );
    expect(kase.body.status).toBe('received');
    expect(kase.body.publicationProblems).toEqual([
      expect.objectContaining({ reasonCode: 'REFUSED_BY_BROKER', repair: `/v1/ops/outbox/parked/${parked.seq}` }),
    ]);
    const health = await stack.json<Health>('intake', '/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.problems.map((p) => p.code)).toContain('outbox-parked');

    // Before, the refused row headed every batch after a restart and nothing was published any more.
    await stack.service('intake').stop();
    await stack.service('intake').start();
    const afterRestart = await Promise.all([submit(portalSubmission()), submit(portalSubmission()), submit(portalSubmission())]);
    for (const caseId of afterRestart) await routed(caseId);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM intake.outbox');
    expect(rows[0]!.n).toBe(0);

    // The operator raises the topic's limit and retries the parked row.
    const admin = testKafka().admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2, name: stack.topic('cases.received.v1'), configEntries: [{ name: 'max.message.bytes', value: '1048576' }] }],
    });
    await admin.disconnect();
    const retried = await stack.json<{ requeued: string[] }>('intake', `/v1/ops/outbox/parked/${parked.seq}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'topic limit raised' }),
    });
    expect(retried.status).toBe(200);
    expect(retried.body.requeued).toEqual([parked.seq]);
    await routed(stuck);
    expect(probe.on(stack.topic(`procedure.${PROCEDURE}.cases.v1`)).filter((m) => m.key === stuck)).toHaveLength(1);
    const healed = await waitFor('intake healthy', async () => {
      const h = await stack.json<Health>('intake', '/health');
      return h.body.status === 'ok' ? h.body : undefined;
    });
    expect(healed.problems).toEqual([]);
    expect((await stack.json<{ publicationProblems?: unknown }>('intake', `/v1/cases/${stuck}`)).body.publicationProblems).toBeUndefined();
  }, 240000);
});
