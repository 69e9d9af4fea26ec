import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { type Principal } from '@poststelle/platform';
import { CasesRepository } from './cases/cases.repository';
import { EmailRepository } from './channels/email/email.repository';
import { FitConnectRepository } from './channels/fit-connect/fit-connect.repository';
import { ClassificationRepository } from './channels/scan/classification.repository';
import { type ScanIndexDto } from './channels/scan/scan-index';
import { ScanRepository } from './channels/scan/scan.repository';
import { RejectedInputsRepository } from './core/rejected-inputs/rejected-inputs.repository';
import { readScopeOf } from './core/access/read-scope';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';
import { INTAKE_MIGRATIONS } from './intake.migrations';

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
    expect((await queue.queue('all', potsdam)).map((i) => i.itemId)).toContain(itemId);
    expect((await queue.queue('all', other)).map((i) => i.itemId)).not.toContain(itemId);
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
});
