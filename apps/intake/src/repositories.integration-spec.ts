import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { type CaseV1 } from '@poststelle/contracts';
import { EmailRepository } from './channels/email/email.repository';
import { PortalRepository } from './channels/portal/portal.repository';
import { SubmissionsRepository } from './core/submission/submissions.repository';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';
import { INTAKE_MIGRATIONS } from './intake.migrations';

// The repositories that took over the SQL of the core use-case, the portal channel and the e-invoice forwarding
// (ADR 0017), against real PostgreSQL with the intake migrations.
jest.setTimeout(120_000);

describe('intake repositories (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  const submissions = new SubmissionsRepository();

  const accept = async (options: { fingerprint?: string; bundleId?: string; key?: string } = {}) => {
    const caseId = randomUUID();
    const submissionId = randomUUID();
    const canonical = {
      caseId,
      tenant: { ars: '120540000123' },
      service: { leikaKey: '99050012104000' },
      channel: { kind: 'portal' },
      ...(options.bundleId ? { bundle: { bundleId: options.bundleId } } : {}),
    } as unknown as CaseV1;
    const inserted = await dataSource.transaction(async (m) => {
      const ok = await submissions.insertSubmission(m, {
        submissionId,
        idempotencyKey: options.key ?? `k-${submissionId}`,
        requestSha512: 'a'.repeat(128),
        channel: 'portal',
        caseId,
        original: { the: 'body' },
        submittedBy: 'channel-demo',
      });
      if (ok)
        await submissions.insertCase(m, { caseId, submissionId, canonical, receivedAt: new Date(), fingerprint: options.fingerprint });
      return ok;
    });
    return { caseId, submissionId, inserted };
  };

  beforeAll(async () => {
    db = await openTestDatabase('intake', INTAKE_MIGRATIONS);
    dataSource = db.dataSource;
  });

  afterAll(async () => {
    await db?.close();
  });

  describe('SubmissionsRepository (core)', () => {
    it('keeps a submission with its original and case; a second one under the same key is not inserted', async () => {
      const key = `k-${randomUUID()}`;
      const first = await accept({ key });
      expect(first.inserted).toBe(true);
      const again = await accept({ key });
      expect(again.inserted).toBe(false);
      const found = await dataSource.transaction((m) => submissions.findByIdempotencyKey(m, key));
      expect(found).toEqual({ submissionId: first.submissionId, caseId: first.caseId, requestSha512: 'a'.repeat(128) });
      const [row] = await dataSource.query<{ original: unknown; submitted_by: string }[]>(
        'SELECT original, submitted_by FROM intake.submissions WHERE submission_id = $1',
        [first.submissionId],
      );
      expect(row).toEqual({ original: { the: 'body' }, submitted_by: 'channel-demo' });
    });

    it('finds the earliest case with the same fingerprint within the window, none outside it', async () => {
      const fingerprint = `fp-${randomUUID()}`;
      const first = await accept({ fingerprint });
      await accept({ fingerprint });
      expect(await dataSource.transaction((m) => submissions.earlierCaseWithFingerprint(m, fingerprint, 72))).toBe(first.caseId);
      await dataSource.query(`UPDATE intake.cases SET received_at = now() - interval '100 hours' WHERE duplicate_fingerprint = $1`, [
        fingerprint,
      ]);
      expect(await dataSource.transaction((m) => submissions.earlierCaseWithFingerprint(m, fingerprint, 72))).toBeUndefined();
      expect(await dataSource.transaction((m) => submissions.findByIdempotencyKey(m, `k-${randomUUID()}`))).toBeUndefined();
    });
  });

  describe('PortalRepository', () => {
    it('names the bundle a case was accepted in, and nothing for a case outside a bundle or an unknown one', async () => {
      const portal = new PortalRepository(dataSource);
      const bundleId = randomUUID();
      const inBundle = await accept({ bundleId });
      const single = await accept();
      expect(await portal.bundleIdOfCase(inBundle.caseId)).toBe(bundleId);
      expect(await portal.bundleIdOfCase(single.caseId)).toBeUndefined();
      expect(await portal.bundleIdOfCase(randomUUID())).toBeUndefined();
    });
  });

  describe('EmailRepository: forwarded e-invoices', () => {
    it('records each attachment of a message once; a redelivery finds the first submission id', async () => {
      const emails = new EmailRepository(dataSource);
      const rawSha512 = randomUUID().replace(/-/g, '').padEnd(128, '0');
      const row = (submissionId: string) => ({
        submissionId,
        inboundId: randomUUID(),
        rawSha512,
        attachmentIndex: 0,
        documentSha512: 'b'.repeat(128),
        fileName: 'rechnung.xml',
        syntax: 'cii',
      });
      const first = randomUUID();
      const recorded = await dataSource.transaction((m) => emails.recordForwardedInvoice(m, row(first)));
      expect(recorded).toBe(first);
      const again = await dataSource.transaction((m) => emails.recordForwardedInvoice(m, row(randomUUID())));
      expect(again).toBeUndefined();
      expect(await dataSource.transaction((m) => emails.forwardedInvoiceSubmission(m, rawSha512, 0))).toBe(first);
      expect(await dataSource.transaction((m) => emails.forwardedInvoiceSubmission(m, rawSha512, 1))).toBeUndefined();
    });
  });
});
