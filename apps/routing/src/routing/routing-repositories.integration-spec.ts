import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { type CaseV1, type RoutingDecisionDto } from '@poststelle/contracts';
import { RoutingAdminRepository } from '../admin/routing-admin.repository';
import { NotificationsRepository } from '../status/notifications.repository';
import { StatusRepository } from '../status/status.repository';
import { HeldCasesRepository } from './held-cases.repository';
import { NO_DEMANDS, ProceduresRepository } from './procedures.repository';
import { RoutingDecisionsRepository } from './routing-decisions.repository';
import { ROUTING_MIGRATIONS } from '../routing.migrations';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';

// Real PostgreSQL: the statements routing runs per case, per status report and per notification.
jest.setTimeout(120_000);

const POTSDAM = '120540000000';
const LEIKA = '99050012104000';

const aCase = (overrides: Partial<CaseV1> = {}): CaseV1 =>
  ({
    caseId: randomUUID(),
    tenant: { ars: POTSDAM },
    service: { leikaKey: LEIKA },
    formData: { schemaUri: 'urn:test' },
    levelOfAssurance: 'none',
    writtenForm: { means: 'none', satisfied: false },
    replyChannel: { eMail: { address: 'erika@example.org' } },
    attachments: [],
    ...overrides,
  }) as CaseV1;

const decision = (procedureId: string, explanation = 'rule r names it'): RoutingDecisionDto => ({
  procedureId,
  procedureTopic: `procedure.${procedureId}.cases.v1`,
  ruleId: 'r',
  ruleVersion: 1,
  matchedPrefix: '12054',
  explanation,
});

describe('routing repositories (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  let procedures: ProceduresRepository;
  const decisions = new RoutingDecisionsRepository();
  const held = new HeldCasesRepository();
  const statuses = new StatusRepository();
  const notifications = new NotificationsRepository();

  const procedure = (procedureId: string, values: { active?: boolean; writtenFormRequired?: boolean; acceptedSchemas?: string[] }) =>
    new RoutingAdminRepository(dataSource).upsertProcedure(dataSource.manager, {
      procedureId,
      tenantArs: POTSDAM,
      name: procedureId,
      topic: `procedure.${procedureId}.cases.v1`,
      requiredLevelOfAssurance: 'substantial',
      writtenFormRequired: values.writtenFormRequired ?? false,
      acceptedSchemas: values.acceptedSchemas ?? [],
      active: values.active ?? true,
    });
  const rule = (ruleId: string, version: number, procedureId: string, validFrom = 'now()') =>
    dataSource.query(
      `INSERT INTO routing.routing_rules (rule_id, version, leika_key, ars_prefix, procedure_id, valid_from) VALUES ($1, $2, $3, '12054', $4, ${validFrom})`,
      [ruleId, version, LEIKA, procedureId],
    );
  const decisionRow = async (caseId: string) =>
    (
      await dataSource.query<{ outcome: string; procedure_id: string | null; explanation: string }[]>(
        'SELECT outcome, procedure_id, explanation FROM routing.routing_decisions WHERE case_id = $1',
        [caseId],
      )
    )[0];

  beforeAll(async () => {
    db = await openTestDatabase('routing', ROUTING_MIGRATIONS);
    dataSource = db.dataSource;
    procedures = new ProceduresRepository(dataSource);
    await procedure('gewerbe', { writtenFormRequired: true, acceptedSchemas: ['urn:a'] });
    await procedure('off', { active: false });
    await rule('gewerbe', 1, 'off');
    await rule('gewerbe', 2, 'gewerbe');
    await rule('future', 1, 'gewerbe', `now() + interval '1 day'`);
    await rule('switched-off', 1, 'off');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('reads the latest effective rule versions for a service, with whether the procedure is on', async () => {
    expect((await procedures.allIds()).sort()).toEqual(['gewerbe', 'off']);
    const candidates = await procedures.ruleCandidates(dataSource.manager, LEIKA);
    expect(candidates.sort((a, b) => a.ruleId.localeCompare(b.ruleId))).toEqual([
      { ruleId: 'gewerbe', version: 2, arsPrefix: '12054', procedureId: 'gewerbe', active: true },
      { ruleId: 'switched-off', version: 1, arsPrefix: '12054', procedureId: 'off', active: false },
    ]);
    expect(await procedures.ruleCandidates(dataSource.manager, '99000000000000')).toEqual([]);
  });

  it('reads what a procedure demands in one query; an unknown procedure demands nothing', async () => {
    expect(await procedures.demands(dataSource.manager, 'gewerbe')).toEqual({
      requiredLevelOfAssurance: 'substantial',
      writtenFormRequired: true,
      acceptedSchemas: ['urn:a'],
    });
    expect(await procedures.demands(dataSource.manager, 'nobody')).toEqual(NO_DEMANDS);
  });

  it('queues a case for a clerk with a manual decision, and keeps bundle members', async () => {
    const kase = aCase({ bundle: { bundleId: randomUUID(), lifeEvent: 'birth', size: 2, position: 1 } } as Partial<CaseV1>);
    const itemId = randomUUID();
    await dataSource.transaction(async (m) => {
      await decisions.addBundleMember(m, kase);
      await decisions.addBundleMember(m, aCase()); // no bundle: nothing
      await decisions.queueForClerk(m, kase, { itemId, reasonCode: 'no-rule', reason: 'no rule matches' });
    });
    expect(await decisionRow(kase.caseId)).toEqual({ outcome: 'manual', procedure_id: null, explanation: 'no rule matches' });
    const [item] = await dataSource.query<{ case_id: string; status: string; canonical: CaseV1 }[]>(
      'SELECT case_id, status, canonical FROM routing.manual_routing_queue WHERE item_id = $1',
      [itemId],
    );
    expect(item).toMatchObject({ case_id: kase.caseId, status: 'open', canonical: { caseId: kase.caseId } });
    const members = await dataSource.query<{ case_id: string }[]>('SELECT case_id FROM routing.bundle_members');
    expect(members.map((r) => r.case_id)).toEqual([kase.caseId]);
  });

  it('writes one decision per case: held first, routed later replaces it; status reads see procedure and reply channel', async () => {
    const kase = aCase();
    await dataSource.transaction((m) => decisions.decide(m, kase, 'action-required', decision('gewerbe'), 'held until the form'));
    expect(await decisionRow(kase.caseId)).toEqual({
      outcome: 'action-required',
      procedure_id: 'gewerbe',
      explanation: 'held until the form',
    });
    await dataSource.transaction((m) => decisions.decide(m, kase, 'routed', decision('gewerbe'), 'released'));
    expect(await decisionRow(kase.caseId)).toEqual({ outcome: 'routed', procedure_id: 'gewerbe', explanation: 'released' });
    expect(await decisions.forStatus(dataSource.manager, kase.caseId)).toEqual({
      procedureId: 'gewerbe',
      replyChannel: { eMail: { address: 'erika@example.org' } },
      tenantArs: POTSDAM,
    });
    expect(await decisions.forStatus(dataSource.manager, randomUUID())).toBeUndefined();
  });

  it('holds a case, finds it with its procedure’s demands, updates and releases it', async () => {
    const kase = aCase();
    await dataSource.transaction((m) => held.hold(m, kase, decision('gewerbe', 'rule gewerbe'), ['the written form']));
    await dataSource.transaction(async (m) => {
      const found = await held.heldForUpdate(m, kase.caseId);
      expect(found).toEqual({
        procedureId: 'gewerbe',
        ruleId: 'r',
        ruleVersion: 1,
        matchedPrefix: '12054',
        explanation: 'rule gewerbe',
        canonical: kase,
        demands: { requiredLevelOfAssurance: 'substantial', writtenFormRequired: true },
      });
      await held.stillMissing(m, { ...kase, levelOfAssurance: 'low' }, ['still the written form']);
    });
    const [row] = await dataSource.query<{ reasons: string[]; canonical: CaseV1 }[]>(
      'SELECT reasons, canonical FROM routing.held_cases WHERE case_id = $1',
      [kase.caseId],
    );
    expect(row).toMatchObject({ reasons: ['still the written form'], canonical: { levelOfAssurance: 'low' } });
    await dataSource.transaction((m) => held.release(m, kase));
    expect(await held.heldForUpdate(dataSource.manager, kase.caseId)).toBeUndefined();
  });

  it('records a status once per message, and notifications: email pending, a letter handed over with its outbox message', async () => {
    const caseId = randomUUID();
    const messageId = randomUUID();
    const status = {
      caseId,
      procedureId: 'gewerbe',
      status: 'COMPLETED' as const,
      reportedBy: 'procedure:gewerbe',
      reportedAt: new Date().toISOString(),
    };
    expect(await dataSource.transaction((m) => statuses.addToHistory(m, messageId, status))).toBe(true);
    expect(await dataSource.transaction((m) => statuses.addToHistory(m, messageId, status))).toBe(false);
    const email = randomUUID();
    const letter = randomUUID();
    const text = { caseId, statusMessageId: messageId, subject: 's', body: 'b' };
    await dataSource.transaction(async (m) => {
      await statuses.addNotification(m, { ...text, notificationId: email, channel: 'email', recipient: 'erika@example.org' });
      await statuses.addNotification(m, {
        ...text,
        notificationId: letter,
        channel: 'postal',
        recipient: 'Erika Mustermann, Musterweg 1, 14467 Potsdam',
        handOver: {
          topic: 'notifications.postal.v1',
          key: caseId,
          type: 'notification.postal-letter',
          payload: { caseId },
          correlationId: caseId,
          tenant: POTSDAM,
        },
      });
    });
    const rows = await dataSource.query<{ notification_id: string; state: string; sent: boolean }[]>(
      'SELECT notification_id, state, sent_at IS NOT NULL AS sent FROM routing.notifications WHERE case_id = $1',
      [caseId],
    );
    expect(rows.find((r) => r.notification_id === email)).toMatchObject({ state: 'pending', sent: false });
    expect(rows.find((r) => r.notification_id === letter)).toMatchObject({ state: 'handed-over', sent: true });
    const outbox = await dataSource.query<{ topic: string }[]>('SELECT topic FROM routing.outbox WHERE message_key = $1', [caseId]);
    expect(outbox.map((o) => o.topic)).toEqual(['notifications.postal.v1']);

    // The dispatcher's view: the email is due; a failed attempt keeps the error, a final one marks it failed.
    await dataSource.transaction(async (m) => {
      const due = await notifications.due(m);
      expect(due).toEqual([{ notificationId: email, caseId, recipient: 'erika@example.org', subject: 's', body: 'b', attempts: 0 }]);
      await notifications.markAttemptFailed(m, email, { attempts: 1, error: '421 try later', final: false, nextAttemptInMs: 0 });
    });
    await dataSource.transaction(async (m) => {
      expect((await notifications.due(m)).map((n) => n.attempts)).toEqual([1]);
      await notifications.markAttemptFailed(m, email, { attempts: 2, error: '550 no such user', final: true, nextAttemptInMs: 0 });
      expect(await notifications.due(m)).toEqual([]);
    });
    const [failed] = await dataSource.query<{ state: string; last_error: string }[]>(
      'SELECT state, last_error FROM routing.notifications WHERE notification_id = $1',
      [email],
    );
    expect(failed).toEqual({ state: 'failed', last_error: '550 no such user' });
  });

  it('marks a sent notification sent and counts the attempt', async () => {
    const caseId = randomUUID();
    const id = randomUUID();
    await dataSource.transaction((m) =>
      statuses.addNotification(m, {
        notificationId: id,
        caseId,
        statusMessageId: randomUUID(),
        subject: 's',
        body: 'b',
        channel: 'email',
        recipient: 'a@b.example',
      }),
    );
    await dataSource.transaction((m) => notifications.markSent(m, id));
    const [sent] = await dataSource.query<{ state: string; attempts: number; sent: boolean }[]>(
      'SELECT state, attempts, sent_at IS NOT NULL AS sent FROM routing.notifications WHERE notification_id = $1',
      [id],
    );
    expect(sent).toEqual({ state: 'sent', attempts: 1, sent: true });
  });
});
