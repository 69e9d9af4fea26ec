import { randomUUID } from 'node:crypto';
import { Stack, portalSubmission, statusReport, testKafka, waitFor, type DemoClient } from '@poststelle/testing';

const TENANT = '120540000000';
const PROCEDURE = 'replay-parking';
const PARKING = '99050012104000';
const UNROUTED = '99001001000000'; // no rule: the case waits for a clerk

interface DeadLetter {
  id: string;
  state: string;
  errorCode: string;
  error: string;
  messageId: string;
  sourceTopic: string;
  replayGeneration: number;
}
interface Health {
  status: string;
  problems: { code: string; detail: string }[];
}

/**
 * A poison message in the running system, its cause fixed by a clerk, replayed through routing's repair API: the
 * effect happens exactly once, a replay of a message handled meanwhile changes nothing, /health says what is stuck
 * until it is repaired, and every action is audited with the subject of the caller's token.
 */
describe('dead letters: inspect, replay after the cause is fixed, exactly once', () => {
  let stack: Stack;
  const ops = <T>(method: string, path: string, body?: unknown, as: DemoClient | null = 'platform-admin') =>
    stack.json<T>('routing', path, {
      method,
      as,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    stack = await new Stack().start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: TENANT, leikaKey: PARKING, arsPrefix: '12' });
  }, 120000);

  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  it('dead-letters a status report for a case no procedure has yet, and applies it once when replayed after a clerk routed the case', async () => {
    const submitted = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(
        portalSubmission({ publicServiceType: { identifier: `urn:de:fim:leika:leistung:${UNROUTED}`, name: 'Unbekannt' } }),
      ),
    });
    expect(submitted.status).toBe(202);
    const caseId = submitted.body.caseId;
    const item = await waitFor('the case in the manual-routing queue', async () => {
      const r = await stack.json<{ itemId: string; caseId: string }[]>('routing', '/v1/manual-routing');
      return r.body.find((i) => i.caseId === caseId);
    });

    // The back office reports on the case before it is routed to it, and its client sends the report twice.
    const messageId = randomUUID();
    const report = statusReport({ caseId, procedureId: PROCEDURE, tenant: TENANT, id: messageId });
    const producer = testKafka().producer();
    await producer.connect();
    const topic = `procedure.${PROCEDURE}.status.v1`;
    for (let i = 0; i < 2; i += 1)
      await producer.send({ topic: stack.topic(topic), messages: [{ key: caseId, value: JSON.stringify(report) }] });
    await producer.disconnect();

    const dead = await waitFor('two dead letters', async () => {
      const r = await ops<{ items: DeadLetter[] }>('GET', `/v1/ops/dead-letters?topic=${topic}&state=open`);
      return r.body.items.length === 2 ? r.body.items : undefined;
    });
    for (const d of dead) {
      expect(d).toMatchObject({ messageId, sourceTopic: topic, errorCode: 'INVALID_PAYLOAD', state: 'open', replayGeneration: 0 });
      expect(d.error).toMatch(/may not report on case .*: it is handled by no procedure yet/);
    }
    const detail = await ops<{ payload: { payload: { caseId: string } }; headers: Record<string, string> }>(
      'GET',
      `/v1/ops/dead-letters/${dead[0]!.id}`,
    );
    expect(detail.body.payload.payload.caseId).toBe(caseId);
    const filtered = await ops<{ items: DeadLetter[] }>('GET', `/v1/ops/dead-letters?error=no%20procedure%20yet&type=case.status-changed`);
    expect(filtered.body.items.map((d) => d.id).sort()).toEqual(dead.map((d) => d.id).sort());

    const degraded = await stack.json<Health>('routing', '/health');
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.problems).toContainEqual({ code: 'dead-letters-open', detail: expect.stringMatching(/^2 dead letter/) as string });

    // Refusals: no token, a caseworker, no reason, an unknown id.
    expect((await ops('POST', `/v1/ops/dead-letters/${dead[0]!.id}/replay`, {}, null)).status).toBe(401);
    expect((await ops('POST', `/v1/ops/dead-letters/${dead[0]!.id}/replay`, {}, 'operator-potsdam')).status).toBe(403);
    expect((await ops('POST', `/v1/ops/dead-letters/${dead[0]!.id}/discard`, {})).status).toBe(422);
    expect((await ops('POST', `/v1/ops/dead-letters/${randomUUID()}/replay`, {})).status).toBe(404);
    expect((await ops('POST', '/v1/ops/dead-letters/replay', { filter: {} })).status).toBe(422);

    // The cause is fixed: a clerk routes the case to the procedure.
    const resolved = await stack.json('routing', `/v1/manual-routing/${item.itemId}/resolve`, {
      method: 'POST',
      as: 'operator-potsdam',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedureId: PROCEDURE }),
    });
    expect(resolved.status).toBe(201);

    const replayed = await ops<{ replayed: boolean; generation: number }>('POST', `/v1/ops/dead-letters/${dead[0]!.id}/replay`, {
      reason: 'case routed by clerk',
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ replayed: true, generation: 1 });
    const statusOf = async () =>
      (await stack.json<{ status: string; history: { status: string }[] }>('routing', `/v1/cases/${caseId}/status`)).body;
    await waitFor(
      'the replayed status report',
      async () => (await statusOf()).history.filter((h) => h.status === 'PROCESSING').length > 0,
      30000,
      200,
    );
    const once = (await statusOf()).history.length;

    // The second dead letter is the same message: replaying it changes nothing.
    const again = await ops<{ replayed: boolean }>('POST', `/v1/ops/dead-letters/${dead[1]!.id}/replay`, {});
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await statusOf()).history).toHaveLength(once);
    expect((await statusOf()).history.filter((h) => h.status === 'PROCESSING')).toHaveLength(1);
    expect((await ops<{ items: DeadLetter[] }>('GET', '/v1/ops/dead-letters?state=open')).body.items).toEqual([]);
    expect((await ops('POST', `/v1/ops/dead-letters/${dead[0]!.id}/replay`, {})).status).toBe(409);

    const healthy = await stack.json<Health>('routing', '/health');
    expect(healthy.body).toMatchObject({ status: 'ok', problems: [] });
    const audit = await ops<{ items: { actor: string; action: string; target: string; reason?: string }[] }>('GET', '/v1/ops/repair-audit');
    expect(audit.body.items.map((a) => [a.actor, a.action, a.target])).toEqual([
      ['platform-admin', 'dead-letter.replayed', dead[1]!.id],
      ['platform-admin', 'dead-letter.replayed', dead[0]!.id],
    ]);
    expect(audit.body.items[1]!.reason).toBe('case routed by clerk');
  }, 120000);
});
