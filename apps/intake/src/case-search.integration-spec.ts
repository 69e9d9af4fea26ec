import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { caseReferenceOf } from '@poststelle/contracts';
import { CreateMessagingTables1732300000000 } from '@poststelle/messaging';
import { openDatabase } from '@poststelle/persistence';
import { InvalidQueryException, tenantScopeOf, toProblem, type Principal } from '@poststelle/platform';
import { createTestDatabase } from '@poststelle/testing';
import { INTAKE_MIGRATIONS } from './intake.migrations';
import { CaseQueues } from './cases/case-queues';
import { CasesRepository } from './cases/cases.repository';
import { SearchCasesUseCase } from './cases/search-cases.use-case';

// The case search and the FIT-Connect queue against real PostgreSQL: the tenant scope is a condition of the query.
jest.setTimeout(120_000);

const principal = (p: Partial<Principal>): Principal => ({
  subject: 's',
  clientId: 'c',
  roles: [],
  tenants: [],
  channels: [],
  mayAssert: [],
  ...p,
});
const POTSDAM = principal({ roles: ['caseworker'], tenants: ['120540000000'] });
const FLENSBURG = principal({ roles: ['caseworker'], tenants: ['010010000000'] });
const ADMIN = principal({ roles: ['platform-admin'] });
const CHANNEL_CLIENT = principal({ clientId: 'channel-demo', roles: ['channel'] });
const SERVICE = '99050012104000';

describe('case search (GET /v1/cases), real PostgreSQL', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let search: SearchCasesUseCase;
  let cases: CasesRepository;
  /** A marker unique to this run, so every search below sees only what this spec seeded. */
  const run = randomUUID().slice(0, 8);

  const seed = async (c: {
    ars: string;
    at: string;
    channel?: 'portal' | 'email' | 'scan';
    fitConnect?: boolean;
    senderReference?: string;
    events?: string[];
  }) => {
    const caseId = randomUUID();
    const submissionId = randomUUID();
    const canonical = {
      caseId,
      // Every portal case names a FIT-Connect submission id (portals may); only intake's own record makes it fit-connect.
      channel: { kind: c.channel ?? 'portal', ...(c.channel ? {} : { portal: { portalId: 'p', fitConnectSubmissionId: randomUUID() } }) },
      senderReference: c.senderReference ?? `${run}-${caseId.slice(0, 4)}`,
    };
    await dataSource.query(
      `INSERT INTO intake.submissions (submission_id, idempotency_key, request_sha512, channel, case_id, original, submitted_by)
       VALUES ($1, $2, $3, $4, $5, '{}', 'channel-demo')`,
      [submissionId, `k-${submissionId}`, 'a'.repeat(128), c.channel ?? 'portal', caseId],
    );
    await dataSource.query(
      `INSERT INTO intake.cases (case_id, submission_id, tenant_ars, leika_key, channel, canonical, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [caseId, submissionId, c.ars, SERVICE, c.channel ?? 'portal', JSON.stringify(canonical), c.at],
    );
    if (c.fitConnect) {
      await dataSource.query(
        `INSERT INTO intake.fit_submissions (submission_id, status, announced, case_id) VALUES ($1, 'accepted', '{}', $2)`,
        [randomUUID(), caseId],
      );
    }
    for (const type of c.events ?? []) {
      await cases.recordTimelineEntry(dataSource.manager, {
        messageId: randomUUID(),
        caseId,
        eventType: type,
        topic: 't',
        summary: {},
        occurredAt: c.at,
      });
    }
    return caseId;
  };

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    dataSource = await openDatabase(
      { url: db.url, schema: 'intake', poolSize: 4 },
      [],
      [CreateMessagingTables1732300000000, ...INTAKE_MIGRATIONS],
    );
    await dataSource.runMigrations();
    cases = new CasesRepository(dataSource);
    search = new SearchCasesUseCase(cases);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  it('finds a case by its reference for its own tenant only, whatever the filter names', async () => {
    const caseId = await seed({ ars: '120540000123', at: '2024-03-01T10:00:00.123456Z', channel: 'email', events: ['case.routed'] });
    const reference = caseReferenceOf(caseId);
    const found = await search.execute({ reference }, POTSDAM);
    expect(found).toEqual({
      items: [
        {
          caseId,
          reference,
          tenant: '120540000123',
          service: SERVICE,
          channel: 'email',
          status: 'routed',
          receivedAt: new Date('2024-03-01T10:00:00.123Z'),
          senderReference: expect.stringContaining(run) as string,
        },
      ],
      nextCursor: null,
    });
    // Another tenant's caseworker: nothing, by reference, by case id, or by naming Potsdam's region.
    expect((await search.execute({ reference }, FLENSBURG)).items).toEqual([]);
    expect((await search.execute({ caseId }, FLENSBURG)).items).toEqual([]);
    expect((await search.execute({ tenant: '120540000000', caseId }, FLENSBURG)).items).toEqual([]);
    expect((await search.execute({ reference: reference.toLowerCase() }, ADMIN)).items.map((i) => i.caseId)).toEqual([caseId]);
    // A channel client has no case:read (403 before this runs); even its own submissions are not searchable here.
    expect((await search.execute({ caseId }, CHANNEL_CLIENT)).items).toEqual([]);
  });

  it('pages newest first through cases received in the same microsecond, without losing or repeating one', async () => {
    const senderReference = `${run}-paging`;
    const at = '2024-04-01T08:00:00.000001Z';
    const seeded = [];
    for (let i = 0; i < 5; i++) seeded.push(await seed({ ars: '120540000001', at, senderReference }));
    seeded.push(await seed({ ars: '120540000001', at: '2024-04-02T08:00:00.000002Z', senderReference }));
    seeded.push(await seed({ ars: '010010000001', at: '2024-04-03T08:00:00Z', senderReference }));
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await search.execute({ senderReference, limit: '2', ...(cursor ? { cursor } : {}) }, POTSDAM);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.caseId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(seeded.slice(0, 6)));
    // Newest first: the case of 2 April leads; Flensburg's (3 April) is not there at all.
    expect(seen[0]).toBe(seeded[5]);
    expect((await search.execute({ senderReference }, ADMIN)).items[0]?.caseId).toBe(seeded[6]);
    expect((await search.execute({ senderReference, limit: '100' }, ADMIN)).items).toHaveLength(7);
  });

  it('filters by state, channel (FIT-Connect apart from the portal), service, tenant region and time', async () => {
    const r = `${run}-filters`;
    const manual = await seed({
      ars: '120540000002',
      at: '2024-05-01T00:00:00Z',
      senderReference: r,
      events: ['case.manual-routing-required'],
    });
    const fit = await seed({ ars: '120540000002', at: '2024-05-02T00:00:00Z', senderReference: r, fitConnect: true });
    const scan = await seed({
      ars: '120540000002',
      at: '2024-05-03T00:00:00Z',
      senderReference: r,
      channel: 'scan',
      events: ['case.routed'],
    });
    const ids = async (q: Record<string, string>) =>
      (await search.execute({ senderReference: r, ...q }, POTSDAM)).items.map((i) => i.caseId);
    expect(await ids({ status: 'manual-routing' })).toEqual([manual]);
    expect(await ids({ status: 'received' })).toEqual([fit]);
    expect(await ids({ channel: 'fit-connect' })).toEqual([fit]);
    expect(await ids({ channel: 'portal' })).toEqual([manual]);
    expect(await ids({ channel: 'scan', status: 'routed' })).toEqual([scan]);
    expect(await ids({ service: '99000000000000' })).toEqual([]);
    expect(await ids({ tenant: '12054' })).toEqual([scan, fit, manual]);
    expect(await ids({ tenant: '010010000000' })).toEqual([]);
    expect(await ids({ receivedFrom: '2024-05-02T00:00:00Z', receivedTo: '2024-05-03T00:00:00Z' })).toEqual([fit]);
    // The state the search reports is the one the case page reports.
    expect((await cases.findCase(manual, { all: true, arsPrefixes: [] }))?.status).toBe('manual-routing');
  });

  it('answers 400 naming each bad filter', async () => {
    const bad = async (q: Record<string, unknown>) => {
      const error = await search.execute(q, POTSDAM).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidQueryException);
      return toProblem(error).errors?.map((e) => e.field);
    };
    expect(await bad({ caseId: 'nope', status: 'lost', channel: 'fax', tenant: '1205' })).toEqual(
      expect.arrayContaining(['caseId', 'status', 'channel', 'tenant']),
    );
    expect(await bad({ reference: 'PS-3F2A-9C1B-1111-AAA8-B' })).toEqual(['reference']);
    expect(await bad({ receivedFrom: '2024-05-02T00:00:00Z', receivedTo: '2024-05-01T00:00:00Z' })).toEqual(['receivedTo']);
    expect(await bad({ limit: '101' })).toEqual(['limit']);
    expect(await bad({ cursor: 'abc' })).toEqual(['cursor']);
    expect(await bad({ sort: 'asc' })).toEqual(['sort']);
  });

  it('counts FIT-Connect cases no procedure has taken, per tenant, with the 3- and 14-day deadlines of the oldest', async () => {
    const queues = new CaseQueues(undefined as never, cases);
    const before = await queues.fitConnect(tenantScopeOf(FLENSBURG));
    const oldest = await seed({ ars: '010010000009', at: '2020-01-01T00:00:00Z', fitConnect: true });
    await seed({ ars: '010010000009', at: '2020-01-02T00:00:00Z', fitConnect: true, events: ['case.manual-routing-required'] });
    await seed({ ars: '010010000009', at: '2019-12-01T00:00:00Z', fitConnect: true, events: ['case.routed'] });
    await seed({ ars: '010010000009', at: '2019-12-01T00:00:00Z', channel: 'email' });
    const after = await queues.fitConnect(tenantScopeOf(FLENSBURG));
    expect(after.count - before.count).toBe(2);
    expect(after).toMatchObject({
      oldestAt: '2020-01-01T00:00:00.000Z',
      deadlines: { alertAt: '2020-01-04T00:00:00.000Z', rejectAt: '2020-01-15T00:00:00.000Z' },
    });
    expect(oldest).toBeDefined();
    const potsdam = await queues.fitConnect(tenantScopeOf(POTSDAM));
    expect(potsdam.oldestAt === null || potsdam.oldestAt > '2020-01-01T00:00:00.000Z').toBe(true);
  });
});
