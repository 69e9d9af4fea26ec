import { SearchCasesUseCase } from './cases/search-cases.use-case';
import { CaseQueues } from './cases/case-queues';
import { caseReferenceOf } from '@poststelle/contracts';
import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { InvalidQueryException, tenantScopeOf, toProblem, type Principal } from '@poststelle/platform';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';
import { INTAKE_MIGRATIONS } from './intake.migrations';
import { CasesRepository } from './cases/cases.repository';
import { EmailRepository } from './channels/email/email.repository';
import { FitConnectRepository } from './channels/fit-connect/fit-connect.repository';
import { ClassificationRepository } from './channels/scan/classification.repository';
import { type ScanIndexDto } from './channels/scan/scan-index';
import { ScanRepository } from './channels/scan/scan.repository';
import { RejectedInputsRepository } from './core/rejected-inputs/rejected-inputs.repository';
import { readScopeOf } from './core/access/read-scope';

// Real PostgreSQL: the scope is a condition of each repository query (ADR 0016), so it is tested where it runs.
jest.setTimeout(120_000);

const POTSDAM = '120540000000';
const principal = (p: Partial<Principal>): Principal => ({
  subject: 's',
  clientId: 'c',
  roles: [],
  tenants: [],
  channels: [],
  mayAssert: [],
  ...p,
});
const potsdam = readScopeOf(principal({ clientId: 'operator-potsdam', roles: ['caseworker'], tenants: [POTSDAM] }));
const other = readScopeOf(principal({ clientId: 'operator-other', roles: ['caseworker'], tenants: ['010010000000'] }));
const admin = readScopeOf(principal({ clientId: 'platform-admin', roles: ['platform-admin'] }));
const portal = readScopeOf(principal({ clientId: 'channel-demo', roles: ['channel'] }));
const stranger = readScopeOf(principal({ clientId: 'channel-untrusted', roles: ['channel'] }));

describe('tenant-scoped reads (intake repositories, real PostgreSQL)', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;

  /** A case of Potsdam (ARS inside Kreis 12054), handed in by `channel-demo`. */
  const seedCase = async (ars = '120540000123') => {
    const caseId = randomUUID();
    const submissionId = randomUUID();
    await dataSource.query(
      `INSERT INTO intake.submissions (submission_id, idempotency_key, request_sha512, channel, case_id, original, submitted_by)
       VALUES ($1, $2, $3, 'portal', $4, '{}', 'channel-demo')`,
      [submissionId, `k-${submissionId}`, 'a'.repeat(128), caseId],
    );
    await dataSource.query(
      `INSERT INTO intake.cases (case_id, submission_id, tenant_ars, leika_key, channel, canonical, received_at)
       VALUES ($1, $2, $3, '99050012104000', 'portal', '{}', now())`,
      [caseId, submissionId, ars],
    );
    return { caseId, submissionId };
  };

  beforeAll(async () => {
    db = await openTestDatabase('intake', INTAKE_MIGRATIONS);
    dataSource = db.dataSource;
  });

  afterAll(async () => {
    await db?.close();
  });

  it('shows a case to its tenant (by significant prefix) and platform-admin, to nobody else', async () => {
    const { caseId, submissionId } = await seedCase();
    const cases = new CasesRepository(dataSource);
    expect(await cases.findCase(caseId, potsdam)).toBeDefined();
    expect(await cases.findCase(caseId, admin)).toBeDefined();
    expect(await cases.findCase(caseId, other)).toBeUndefined();
    expect(await cases.findCase(caseId, portal)).toBeUndefined();
    expect(await cases.findSubmission(submissionId, other)).toBeUndefined();
    expect(await cases.findSubmission(submissionId, potsdam)).toMatchObject({ caseId });
    // The client that handed it in reads its submission back; another channel client does not.
    expect(await cases.findSubmission(submissionId, portal)).toMatchObject({ caseId });
    expect(await cases.findSubmission(submissionId, stranger)).toBeUndefined();
  });

  it('shows a rejected input to its sender and platform-admin only', async () => {
    const rejections = new RejectedInputsRepository(dataSource);
    const id = await rejections.record({
      source: 'http',
      reasonCode: 'X',
      errors: [],
      original: Buffer.from('{'),
      submittedBy: 'channel-demo',
    });
    expect(await rejections.find(id, portal)).toBeDefined();
    expect(await rejections.find(id, admin)).toBeDefined();
    expect(await rejections.find(id, potsdam)).toBeUndefined();
    expect(await rejections.find(id, stranger)).toBeUndefined();
  });

  it('shows an inbound mail to the tenant owning the receiving mailbox, and its raw message likewise', async () => {
    const email = new EmailRepository(dataSource);
    await email.upsertMailbox({ address: 'post@potsdam.example', tenantArs: POTSDAM, purpose: 'applications' });
    const sha = 'c'.repeat(128);
    const inboundId = await email.recordReceived({
      transport: 'smtp',
      rawSha512: sha,
      sizeBytes: 10,
      recipients: ['Post@Potsdam.example'],
    });
    expect(await email.find(inboundId, potsdam)).toBeDefined();
    expect(await email.find(inboundId, other)).toBeUndefined();
    expect(await email.rawKnown(sha, potsdam)).toBe(true);
    expect(await email.rawKnown(sha, other)).toBe(false);
    // Mail to nobody's address: platform-admin only, until it becomes (or joins) a case of a tenant.
    const lost = await email.recordReceived({
      transport: 'smtp',
      rawSha512: 'd'.repeat(128),
      sizeBytes: 10,
      recipients: ['x@nowhere.example'],
    });
    expect(await email.find(lost, potsdam)).toBeUndefined();
    expect(await email.find(lost, admin)).toBeDefined();
    const { caseId } = await seedCase();
    await email.recordOutcome(lost, { status: 'case', caseId });
    expect(await email.find(lost, potsdam)).toBeDefined();
  });

  it("lists and locks only the queue items of the caller's tenants' batches", async () => {
    const scan = new ScanRepository(dataSource);
    const queue = new ClassificationRepository(dataSource);
    const index = { batchId: 'B-1', tenantArs: POTSDAM, documents: [] } as unknown as ScanIndexDto;
    const { batch } = await scan.createBatch({
      source: 'http',
      indexSha512: 'e'.repeat(128),
      index,
      status: 'processing',
      submittedBy: 'scan-centre',
    });
    const itemId = randomUUID();
    await dataSource.transaction((m) =>
      scan.enqueue(m, {
        itemId,
        batchId: batch.batchId,
        documentId: 'd1',
        confidence: 0,
        reasonCode: 'no-match',
        reason: 'r',
        candidates: [],
        facts: {},
        textExcerpt: '',
      }),
    );
    expect((await queue.queue('all', potsdam, { limit: 100, after: null })).map((i) => i.itemId)).toContain(itemId);
    expect((await queue.queue('all', other, { limit: 100, after: null })).map((i) => i.itemId)).not.toContain(itemId);
    expect(await dataSource.transaction((m) => queue.lockQueueItem(m, itemId, other))).toBeUndefined();
    expect(await dataSource.transaction((m) => queue.lockQueueItem(m, itemId, potsdam))).toMatchObject({ batchSubmittedBy: 'scan-centre' });
    expect(await scan.findBatch(batch.batchId, other)).toBeUndefined();
    expect(await scan.findBatch(batch.batchId, potsdam)).toBeDefined();
  });

  it('shows a FIT-Connect submission to its destination tenant and the client that announced it', async () => {
    const fit = new FitConnectRepository(dataSource);
    const submissionId = randomUUID();
    await fit.create({
      submissionId,
      metadataVersion: '1.0.0',
      metadataSha512: 'f'.repeat(128),
      announced: { tenantArs: POTSDAM, metadata: {} },
      submittedBy: 'channel-untrusted',
    });
    expect(await fit.find(submissionId, potsdam)).toBeDefined();
    expect(await fit.find(submissionId, stranger)).toBeDefined();
    expect(await fit.find(submissionId, portal)).toBeUndefined();
    expect(await fit.find(submissionId, other)).toBeUndefined();
  });

  /** The case search and the FIT-Connect queue: the tenant scope is a condition of their queries too. */
  describe('case search (GET /v1/cases) and the FIT-Connect queue', () => {
    const SEARCH_POTSDAM = principal({ roles: ['caseworker'], tenants: [POTSDAM] });
    const SEARCH_FLENSBURG = principal({ roles: ['caseworker'], tenants: ['010010000000'] });
    const SEARCH_ADMIN = principal({ roles: ['platform-admin'] });
    const SEARCH_CHANNEL = principal({ clientId: 'channel-demo', roles: ['channel'] });
    const SERVICE = '99050012104000';
    let cases: CasesRepository;
    let search: SearchCasesUseCase;

    beforeAll(() => {
      cases = new CasesRepository(dataSource);
      search = new SearchCasesUseCase(cases);
    });

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

    it('finds a case by its reference for its own tenant only, whatever the filter names', async () => {
      const caseId = await seed({ ars: '120540000123', at: '2024-03-01T10:00:00.123456Z', channel: 'email', events: ['case.routed'] });
      const reference = caseReferenceOf(caseId);
      const found = await search.execute({ reference }, SEARCH_POTSDAM);
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
      expect((await search.execute({ reference }, SEARCH_FLENSBURG)).items).toEqual([]);
      expect((await search.execute({ caseId }, SEARCH_FLENSBURG)).items).toEqual([]);
      expect((await search.execute({ tenant: '120540000000', caseId }, SEARCH_FLENSBURG)).items).toEqual([]);
      expect((await search.execute({ reference: reference.toLowerCase() }, SEARCH_ADMIN)).items.map((i) => i.caseId)).toEqual([caseId]);
      // A channel client has no case:read (403 before this runs); even its own submissions are not searchable here.
      expect((await search.execute({ caseId }, SEARCH_CHANNEL)).items).toEqual([]);
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
        const page = await search.execute({ senderReference, limit: '2', ...(cursor ? { cursor } : {}) }, SEARCH_POTSDAM);
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
      expect((await search.execute({ senderReference }, SEARCH_ADMIN)).items[0]?.caseId).toBe(seeded[6]);
      expect((await search.execute({ senderReference, limit: '100' }, SEARCH_ADMIN)).items).toHaveLength(7);
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
        (await search.execute({ senderReference: r, ...q }, SEARCH_POTSDAM)).items.map((i) => i.caseId);
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
        const error = await search.execute(q, SEARCH_POTSDAM).then(
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
      const before = await queues.fitConnect(tenantScopeOf(SEARCH_FLENSBURG));
      const oldest = await seed({ ars: '010010000009', at: '2020-01-01T00:00:00Z', fitConnect: true });
      await seed({ ars: '010010000009', at: '2020-01-02T00:00:00Z', fitConnect: true, events: ['case.manual-routing-required'] });
      await seed({ ars: '010010000009', at: '2019-12-01T00:00:00Z', fitConnect: true, events: ['case.routed'] });
      await seed({ ars: '010010000009', at: '2019-12-01T00:00:00Z', channel: 'email' });
      const after = await queues.fitConnect(tenantScopeOf(SEARCH_FLENSBURG));
      expect(after.count - before.count).toBe(2);
      expect(after).toMatchObject({
        oldestAt: '2020-01-01T00:00:00.000Z',
        deadlines: { alertAt: '2020-01-04T00:00:00.000Z', rejectAt: '2020-01-15T00:00:00.000Z' },
      });
      expect(oldest).toBeDefined();
      const potsdam = await queues.fitConnect(tenantScopeOf(SEARCH_POTSDAM));
      expect(potsdam.oldestAt === null || potsdam.oldestAt > '2020-01-01T00:00:00.000Z').toBe(true);
    });
  });
});
