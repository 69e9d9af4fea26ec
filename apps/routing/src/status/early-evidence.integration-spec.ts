import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataSource } from 'typeorm';
import { EventTypes, type CaseEvidenceAddedV1, type CaseV1, type EventEnvelope } from '@poststelle/contracts';
import { type MessageContext, type MessagingRuntime } from '@poststelle/messaging';
import { FileSystemBlobStore } from '@poststelle/persistence';
import { PaymentGate } from '../routing/payment-gate';
import { PaymentGateRepository } from '../routing/payment-gate.repository';
import { EarlyEvidenceRepository } from '../routing/early-evidence.repository';
import { RouteCaseUseCase } from '../routing/route-case.use-case';
import { HeldCasesRepository } from '../routing/held-cases.repository';
import { ProceduresRepository } from '../routing/procedures.repository';
import { RoutingDecisionsRepository } from '../routing/routing-decisions.repository';
import { ApplyEvidenceUseCase } from './apply-evidence.use-case';
import { CaseEvidenceConsumer } from './case-evidence.consumer';
import { StatusRepository } from './status.repository';
import { RecordStatusUseCase } from './record-status.use-case';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';
import { ROUTING_MIGRATIONS } from '../routing.migrations';

// Real PostgreSQL: evidence that reaches routing before the case is held must not be lost (issue 11).
jest.setTimeout(120_000);

const TENANT = '120540000000';
const LEIKA = '99050012104000';
const PROCEDURE = 'gewerbe-potsdam';

/** A portal case without eID: it does not meet the § 3a written form, so the procedure holds it. */
const portalCase = (): CaseV1 => {
  const caseId = randomUUID();
  return {
    caseId,
    submissionId: randomUUID(),
    tenant: { ars: TENANT },
    service: { leikaKey: LEIKA, identifier: `urn:de:fim:leika:leistung:${LEIKA}` },
    channel: { kind: 'portal', portal: { portalId: 'test-portal', authenticationMethod: 'password' } },
    applicant: { kind: 'natural', givenName: 'Erika', familyName: 'Mustermann' },
    formData: { schemaUri: 'urn:test', mimeType: 'application/json', sha512: 'a'.repeat(128), content: { a: 1 } },
    attachments: [],
    levelOfAssurance: 'none',
    authenticationInformation: [],
    writtenForm: { means: 'none', satisfied: false, detail: 'portal submission without eID identification' },
    replyChannel: { eMail: { address: 'erika@example.org' } },
    receivedAt: new Date().toISOString(),
  } as CaseV1;
};

const signedPaper = (caseId: string): CaseEvidenceAddedV1 => ({
  caseId,
  channel: 'scan',
  writtenForm: { means: 'handwritten-signature', satisfied: true, detail: 'paper with handwritten signature, scan batch B-1' },
  attachments: [
    {
      attachmentId: 's1',
      fileName: 'antrag-unterschrieben.pdf',
      mediaType: 'application/pdf',
      purpose: 'attachment',
      sizeBytes: 10,
      sha512: 'b'.repeat(128),
      blobRef: `blob:sha512:${'b'.repeat(128)}`,
    },
  ],
  receivedAt: new Date().toISOString(),
});

const plainEmail = (caseId: string): CaseEvidenceAddedV1 => ({
  caseId,
  channel: 'email',
  writtenForm: { means: 'none', satisfied: false, detail: 'a plain email never satisfies the written form' },
  receivedAt: new Date().toISOString(),
});

describe('early follow-up evidence (routing, real PostgreSQL)', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  let blobDir: string;
  let routeCase: RouteCaseUseCase;
  let consumer: CaseEvidenceConsumer;

  const deliverEvidence = (evidence: CaseEvidenceAddedV1, id = randomUUID()) =>
    dataSource.transaction((manager) => {
      const envelope: EventEnvelope = {
        id,
        type: EventTypes.caseEvidenceAdded,
        version: 1,
        occurredAt: new Date().toISOString(),
        correlationId: evidence.caseId,
        tenant: TENANT,
        payload: evidence,
      } as EventEnvelope;
      const ctx: MessageContext = { manager, envelope, topic: 'cases.evidence.v1', partition: 0, offset: '0' };
      return consumer.handle(ctx);
    });
  const deliverCase = (kase: CaseV1) => dataSource.transaction((manager) => routeCase.execute(manager, kase, randomUUID()));
  const state = async (caseId: string) => {
    const [decision] = await dataSource.query<{ outcome: string; explanation: string }[]>(
      'SELECT outcome, explanation FROM routing.routing_decisions WHERE case_id = $1',
      [caseId],
    );
    const [held] = await dataSource.query<{ status: string; canonical: CaseV1 }[]>(
      'SELECT status, canonical FROM routing.held_cases WHERE case_id = $1',
      [caseId],
    );
    const routed = await dataSource.query<{ topic: string; envelope: string }[]>(
      `SELECT topic, envelope::text AS envelope FROM routing.outbox WHERE message_key = $1 AND topic LIKE '%cases%' AND envelope::text LIKE '%"case.routed"%'`,
      [caseId],
    );
    const statuses = await dataSource.query<{ status: string }[]>(
      'SELECT status FROM routing.case_status_history WHERE case_id = $1 ORDER BY reported_at',
      [caseId],
    );
    const pending = await dataSource.query<unknown[]>('SELECT 1 FROM routing.early_evidence WHERE case_id = $1 AND applied_at IS NULL', [
      caseId,
    ]);
    return { decision, held, routed, statuses: statuses.map((s) => s.status), pending: pending.length };
  };

  beforeAll(async () => {
    db = await openTestDatabase('routing', ROUTING_MIGRATIONS, { poolSize: 12 });
    dataSource = db.dataSource;
    blobDir = await mkdtemp(join(tmpdir(), 'ps-routing-blobs-'));
    const recordStatus = new RecordStatusUseCase(new StatusRepository());
    const early = new EarlyEvidenceRepository();
    const held = new HeldCasesRepository();
    routeCase = new RouteCaseUseCase(
      recordStatus,
      new FileSystemBlobStore(blobDir),
      early,
      new ProceduresRepository(dataSource),
      new RoutingDecisionsRepository(),
      held,
      new PaymentGate(recordStatus, new PaymentGateRepository(), new RoutingDecisionsRepository()),
    );
    // The consumer's Kafka subscription (onModuleInit) is not used here: messages are handed to `handle` directly.
    consumer = new CaseEvidenceConsumer(
      undefined as unknown as MessagingRuntime,
      new ApplyEvidenceUseCase(routeCase, recordStatus, early, held),
    );
    await dataSource.query(
      `INSERT INTO routing.procedures (procedure_id, tenant_ars, name, topic, written_form_required) VALUES ($1, $2, 'Gewerbe', $3, true)`,
      [PROCEDURE, TENANT, `procedure.${PROCEDURE}.cases.v1`],
    );
    await dataSource.query(
      `INSERT INTO routing.routing_rules (rule_id, version, leika_key, ars_prefix, procedure_id) VALUES ('gewerbe', 1, $1, '12054', $2)`,
      [LEIKA, PROCEDURE],
    );
  });

  afterAll(async () => {
    await db?.close();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  it('without evidence the case is held (ACTION_REQUIRED), as before', async () => {
    const kase = portalCase();
    await deliverCase(kase);
    const s = await state(kase.caseId);
    expect(s.decision?.outcome).toBe('action-required');
    expect(s.held?.status).toBe('action-required');
    expect(s.routed).toHaveLength(0);
    expect(s.statuses).toEqual(['ACTION_REQUIRED']);
  });

  it('evidence that arrives before the case is kept, and releases the case at once when it suffices', async () => {
    const kase = portalCase();
    await deliverEvidence(signedPaper(kase.caseId));
    expect((await state(kase.caseId)).pending).toBe(1);

    await deliverCase(kase);
    const s = await state(kase.caseId);
    expect(s.decision?.outcome).toBe('routed');
    expect(s.decision?.explanation).toContain('released at once');
    expect(s.held).toBeUndefined();
    expect(s.statuses).not.toContain('ACTION_REQUIRED');
    expect(s.pending).toBe(0);
    expect(s.routed.map((r) => r.topic).sort()).toEqual(['cases.routed.v1', `procedure.${PROCEDURE}.cases.v1`]);
    const routedCase = (JSON.parse(s.routed[0]!.envelope) as { payload: { case: CaseV1 } }).payload.case;
    expect(routedCase.writtenForm.means).toBe('handwritten-signature');
    expect(routedCase.attachments.map((a) => a.fileName)).toEqual(['antrag-unterschrieben.pdf']);
  });

  it('early evidence that does not suffice is applied to the held case; later evidence still releases it', async () => {
    const kase = portalCase();
    await deliverEvidence(plainEmail(kase.caseId));
    await deliverCase(kase);
    let s = await state(kase.caseId);
    expect(s.decision?.outcome).toBe('action-required');
    expect(s.pending).toBe(0);
    expect(s.held?.canonical.writtenForm.means).toBe('none');

    await deliverEvidence(signedPaper(kase.caseId));
    s = await state(kase.caseId);
    expect(s.decision?.outcome).toBe('routed');
    expect(s.held?.status).toBe('released');
    expect(s.statuses).toEqual(['ACTION_REQUIRED', 'PROCESSING']);
  });

  it('a redelivered early evidence message is kept once', async () => {
    const kase = portalCase();
    const id = randomUUID();
    await deliverEvidence(signedPaper(kase.caseId), id);
    await deliverEvidence(signedPaper(kase.caseId), id);
    expect((await state(kase.caseId)).pending).toBe(1);
  });

  it('evidence racing the hold is never lost: every case ends up routed', async () => {
    const cases = Array.from({ length: 12 }, portalCase);
    await Promise.all(cases.flatMap((k) => [deliverEvidence(signedPaper(k.caseId)), deliverCase(k)]));
    for (const k of cases) {
      const s = await state(k.caseId);
      expect({ caseId: k.caseId, outcome: s.decision?.outcome, pending: s.pending }).toEqual({
        caseId: k.caseId,
        outcome: 'routed',
        pending: 0,
      });
    }
  });
});
