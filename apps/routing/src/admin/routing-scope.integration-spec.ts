import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { ALL_TENANTS, auditScopeOf, pageOf, tenantScopeOf, toProblem, type Principal, type TenantScope } from '@poststelle/platform';
import { RoutingReadsRepository } from '../routing/routing-reads.repository';
import { ProceduresRepository } from '../routing/procedures.repository';
import { RoutingAdminRepository } from './routing-admin.repository';
import { RoutingRuleTester } from './routing-rule-tester';
import { ROUTING_MIGRATIONS } from '../routing.migrations';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';

// Real PostgreSQL: the tenant scope is applied in the queries of both routing repositories.
jest.setTimeout(120_000);

const POTSDAM = '120540000000';
const KIEL = '010020000000';
const principal = (roles: string[], tenants: string[]): Principal => ({
  subject: 's',
  clientId: 'c',
  roles,
  tenants,
  channels: [],
  mayAssert: [],
});
const potsdam = tenantScopeOf(principal(['caseworker'], [POTSDAM]));
const kiel = tenantScopeOf(principal(['caseworker'], [KIEL]));
const none: TenantScope = tenantScopeOf(principal(['caseworker'], []));
const FIRST = { limit: 100, after: null };

describe('routing repositories scope every read to the caller’s tenants (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  let admin: RoutingAdminRepository;
  let reads: RoutingReadsRepository;
  const cases = { potsdam: randomUUID(), kiel: randomUUID() };
  const items = { potsdam: randomUUID(), kiel: randomUUID() };
  const bundle = randomUUID();

  beforeAll(async () => {
    db = await openTestDatabase('routing', ROUTING_MIGRATIONS);
    dataSource = db.dataSource;
    admin = new RoutingAdminRepository(dataSource);
    reads = new RoutingReadsRepository(dataSource);
    for (const [key, ars] of [
      ['potsdam', POTSDAM],
      ['kiel', KIEL],
    ] as const) {
      const procedureId = `parking-${key}`;
      await admin.transaction(async (m) => {
        await admin.upsertProcedure(m, {
          procedureId,
          tenantArs: ars,
          name: procedureId,
          topic: `procedure.${procedureId}.cases.v1`,
          requiredLevelOfAssurance: 'none',
          writtenFormRequired: false,
          acceptedSchemas: [],
          active: true,
        });
        const rule = await admin.insertRuleVersion(m, {
          ruleId: procedureId,
          version: 1,
          leikaKey: '99050012104000',
          arsPrefix: ars.slice(0, 5),
          procedureId,
        });
        await admin.audit(m, {
          subject: `admin-${key}`,
          clientId: `admin-${key}`,
          action: 'rule.created',
          entity: 'routing-rule',
          entityId: procedureId,
          tenantArs: rule.arsPrefix,
          oldValue: undefined,
          newValue: rule,
        });
      });
      const caseId = cases[key];
      await dataSource.query(
        `INSERT INTO routing.routing_decisions (case_id, tenant_ars, leika_key, outcome, explanation) VALUES ($1, $2, '99001001000000', 'manual', 'no rule')`,
        [caseId, ars],
      );
      await dataSource.query(
        `INSERT INTO routing.manual_routing_queue (item_id, case_id, reason_code, reason, canonical) VALUES ($1, $2, 'NO_RULE', 'no rule', $3)`,
        [items[key], caseId, JSON.stringify({ caseId, tenant: { ars } })],
      );
      await dataSource.query(
        `INSERT INTO routing.case_status_history (message_id, case_id, status, reported_by, reported_at) VALUES ($1, $2, 'PROCESSING', 'bo', now())`,
        [randomUUID(), caseId],
      );
      await dataSource.query(
        `INSERT INTO routing.bundle_members (case_id, bundle_id, life_event, size, position, leika_key) VALUES ($1, $2, 'birth', 2, $3, '99036005000000')`,
        [caseId, bundle, key === 'potsdam' ? 1 : 2],
      );
    }
  });

  afterAll(async () => {
    await db?.close();
  });

  it('lists procedures and rules of the caller’s tenants only; a platform admin sees all', async () => {
    expect((await admin.listProcedures(potsdam)).map((p) => p.procedureId)).toEqual(['parking-potsdam']);
    expect((await admin.listRules(kiel)).map((r) => r.arsPrefix)).toEqual(['01002']);
    expect(await admin.listRules(none)).toEqual([]);
    expect((await admin.listRules(ALL_TENANTS)).map((r) => r.ruleId)).toEqual(['parking-kiel', 'parking-potsdam']);
    await dataSource.transaction(async (m) => {
      expect(await admin.procedureExistsIn(m, 'parking-kiel', potsdam)).toBe(false);
      expect(await admin.procedureExistsIn(m, 'parking-potsdam', potsdam)).toBe(true);
    });
  });

  it('scopes the audit log by the region of each change and names subject and client', async () => {
    const all = await admin.auditLog(auditScopeOf(principal(['auditor'], [])), undefined);
    expect(all.map((a) => [a['actor'], a['clientId'], a['tenantArs']])).toEqual([
      ['admin-potsdam', 'admin-potsdam', '12054'],
      ['admin-kiel', 'admin-kiel', '01002'],
    ]);
    const scoped = await admin.auditLog(auditScopeOf(principal(['auditor'], [KIEL])), undefined);
    expect(scoped.map((a) => a['actor'])).toEqual(['admin-kiel']);
    expect(await admin.auditLog(ALL_TENANTS, 'parking-kiel')).toHaveLength(1);
  });

  it('shows the manual-routing queue, decisions, status and notifications of the caller’s tenants only', async () => {
    expect((await reads.queue('open', potsdam, FIRST)).map((i) => i['caseId'])).toEqual([cases.potsdam]);
    expect((await reads.queue('open', ALL_TENANTS, FIRST)).length).toBe(2);
    expect(await reads.queue('open', none, FIRST)).toEqual([]);
    await dataSource.transaction(async (m) => {
      expect(await reads.queueItemForUpdate(m, items.kiel, potsdam)).toBeUndefined();
      expect(await reads.queueItemForUpdate(m, items.potsdam, potsdam)).toMatchObject({ case_id: cases.potsdam, status: 'open' });
    });
    expect(await reads.decision(cases.kiel, potsdam)).toBeUndefined();
    expect(await reads.decision(cases.kiel, kiel)).toMatchObject({ outcome: 'manual' });
    expect(await reads.status(cases.kiel, potsdam)).toEqual({ known: false, history: [] });
    expect((await reads.status(cases.kiel, kiel)).history.map((h) => h.status)).toEqual(['PROCESSING']);
    expect(await reads.notifications(cases.kiel, potsdam)).toEqual([]);
  });

  it('shows of a bundle only the sub-cases of the caller’s tenants', async () => {
    expect((await reads.bundleMembers(bundle, potsdam)).map((m) => m.caseId)).toEqual([cases.potsdam]);
    expect((await reads.bundleMembers(bundle, ALL_TENANTS)).map((m) => m.caseId)).toEqual([cases.potsdam, cases.kiel]);
    expect(await reads.bundleMembers(bundle, none)).toEqual([]);
  });

  it('pages the manual-routing queue oldest first and counts what is open, per tenant', async () => {
    const createdAt = '2000-01-01T00:00:00.000001Z';
    const added: string[] = [];
    for (let i = 0; i < 3; i++) {
      const caseId = randomUUID();
      added.push(caseId);
      await dataSource.query(
        `INSERT INTO routing.manual_routing_queue (item_id, case_id, reason_code, reason, canonical, created_at)
         VALUES ($1, $2, 'NO_RULE', 'no rule', $3, $4)`,
        [randomUUID(), caseId, JSON.stringify({ caseId, tenant: { ars: '120540000077' } }), createdAt],
      );
    }
    const seen: unknown[] = [];
    let after: string[] | null = null;
    do {
      const rows = await reads.queue('open', potsdam, { limit: 2, after });
      const page = pageOf(rows, 2, (r) => [r.cursorAt, r.itemId]);
      seen.push(...page.items.map((r) => r['caseId']));
      after = page.nextCursor ? [page.items[1]!.cursorAt, page.items[1]!.itemId] : null;
    } while (after);
    // The three items of 2000 first (same microsecond, none lost or repeated), then the one of today.
    expect(new Set(seen.slice(0, 3))).toEqual(new Set(added));
    expect(seen).toHaveLength(4);
    expect(seen[3]).toBe(cases.potsdam);
    expect(await reads.openQueueSummary(potsdam)).toEqual({ count: 4, oldestAt: new Date(createdAt) });
    expect(await reads.openQueueSummary(kiel)).toMatchObject({ count: 1 });
    expect(await reads.openQueueSummary(none)).toEqual({ count: 0, oldestAt: null });
  });

  it('tests LeiKa × ARS with the rules in effect, in the routing explanation’s words, for the admin’s regions only', async () => {
    const tester = new RoutingRuleTester(dataSource, new ProceduresRepository(dataSource));
    const query = { leikaKey: '99050012104000', ars: '120540001234' };
    expect(await tester.test(query, potsdam)).toEqual({
      outcome: 'routed',
      procedureId: 'parking-potsdam',
      explanation:
        'service 99050012104000 in region 120540001234: rule parking-potsdam (version 1) for region prefix 12054 (5 digits, the most specific entry) names procedure parking-potsdam',
      matchedRule: { ruleId: 'parking-potsdam', version: 1, arsPrefix: '12054', procedureId: 'parking-potsdam', active: true },
    });
    expect(await tester.test({ ...query, leikaKey: '99999999999999' }, potsdam)).toMatchObject({
      outcome: 'no-rule',
      procedureId: null,
      explanation: expect.stringContaining('no routing rule for service 99999999999999') as string,
    });
    // A more specific rule changes the answer at once (rules are read per question, as per case).
    await admin.transaction(async (m) => {
      await admin.insertRuleVersion(m, {
        ruleId: 'parking-kiel-in-potsdam',
        version: 1,
        leikaKey: '99050012104000',
        arsPrefix: '120540001',
        procedureId: 'parking-kiel',
      });
    });
    expect(await tester.test(query, potsdam)).toMatchObject({
      outcome: 'routed',
      procedureId: 'parking-kiel',
      matchedRule: { arsPrefix: '120540001' },
    });
    const foreign = await tester.test({ ...query, ars: KIEL }, potsdam).catch((e: unknown) => toProblem(e));
    expect(foreign).toMatchObject({ status: 403, title: 'FOREIGN_TENANT' });
  });
});
