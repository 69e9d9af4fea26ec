import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { KafkaProbe, Stack, freePort, portalSubmission, testKafka, waitFor } from '@poststelle/testing';

interface ReceivedMail {
  to: string[];
  /** Headers and body, the body decoded from quoted-printable. */
  raw: string;
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A real SMTP server on loopback, standing in for the authority's mail relay. */
class TestSmtp {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const TENANT = '120540000000';
const PARKING = '99050012104000';
const BUILDING = '99010003001000'; // building permit: written form required
// Life event "birth": birth certificate (registry office), child benefit (family benefits office), parental allowance.
const BIRTH = { certificate: '99036005000000', childBenefit: '99041006000000', parentalAllowance: '99041008000000' };

describe('routing: rules, written form, back-office status and notifications', () => {
  let stack: Stack;
  let smtp: TestSmtp;
  let probe: KafkaProbe;

  const admin = (method: string, path: string, body?: unknown) =>
    stack.json<Record<string, unknown>>('routing', path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const submit = async (body: Record<string, unknown>) => {
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    return res.body.caseId;
  };
  const publish = async (topic: string, type: string, caseId: string, payload: unknown) => {
    const producer = testKafka().producer();
    await producer.connect();
    const envelope = {
      id: randomUUID(),
      type,
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: caseId,
      tenant: TENANT,
      payload,
    };
    await producer.send({ topic: stack.topic(topic), messages: [{ key: caseId, value: JSON.stringify(envelope) }] });
    await producer.disconnect();
  };
  /** A back office reports on its own status topic, `procedure.<procedureId>.status.v1`. */
  const report = (procedureId: string, caseId: string, payload: Record<string, unknown>) =>
    publish(`procedure.${procedureId}.status.v1`, 'case.status-changed', caseId, {
      caseId,
      procedureId,
      reportedBy: `procedure:${procedureId}`,
      reportedAt: new Date().toISOString(),
      ...payload,
    });
  const statusOf = async (caseId: string) =>
    (await stack.json<{ status: string; history: { status: string }[] }>('routing', `/v1/cases/${caseId}/status`)).body;
  const deadLetters = (pattern: RegExp) =>
    probe.waitForCount((m) => m.topic === stack.topic('dlq.routing.status.v1') && pattern.test(m.headers['ps-dlq-error'] ?? ''), 1);
  const routedTo = async (caseId: string) =>
    waitFor(`case ${caseId} routed`, async () => {
      const r = await stack.json<{ outcome: string; procedureId: string; explanation: string }>('routing', `/v1/cases/${caseId}/routing`);
      return r.status === 200 && r.body.outcome === 'routed' && r.body;
    });

  beforeAll(async () => {
    smtp = new TestSmtp(await freePort());
    await smtp.start();
    stack = await new Stack({
      extraEnv: { SMTP_RELAY_HOST: '127.0.0.1', SMTP_RELAY_PORT: String(smtp.port), NOTIFY_RETRY_BASE_MS: '200' },
    }).start();
    for (const [id, extra] of [
      ['parking-a', {}],
      ['parking-b', {}],
      ['building-potsdam', { writtenFormRequired: true }],
      ['registry-potsdam', {}],
      ['family-benefits-bb', {}],
      ['parental-allowance-bb', {}],
    ] as const) {
      const r = await admin('PUT', `/v1/admin/procedures/${id}`, { tenantArs: TENANT, name: id, ...extra });
      expect(r.status).toBe(200);
    }
    expect(
      (
        await admin('POST', '/v1/admin/routing-rules', {
          ruleId: 'parking',
          leikaKey: PARKING,
          arsPrefix: '12054',
          procedureId: 'parking-a',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin('POST', '/v1/admin/routing-rules', {
          ruleId: 'building',
          leikaKey: BUILDING,
          arsPrefix: '12',
          procedureId: 'building-potsdam',
        })
      ).status,
    ).toBe(201);
    for (const [ruleId, leikaKey, arsPrefix, procedureId] of [
      ['birth-certificate', BIRTH.certificate, '12054', 'registry-potsdam'],
      ['child-benefit', BIRTH.childBenefit, '12', 'family-benefits-bb'],
      ['parental-allowance', BIRTH.parentalAllowance, '12', 'parental-allowance-bb'],
    ] as const) {
      expect((await admin('POST', '/v1/admin/routing-rules', { ruleId, leikaKey, arsPrefix, procedureId })).status).toBe(201);
    }
    probe = await new KafkaProbe().start([
      stack.topic('procedure.building-potsdam.cases.v1'),
      stack.topic('dlq.routing.status.v1'),
      stack.topic('procedure.registry-potsdam.cases.v1'),
      stack.topic('procedure.family-benefits-bb.cases.v1'),
      stack.topic('procedure.parental-allowance-bb.cases.v1'),
    ]);
  }, 120000);

  afterAll(async () => {
    await probe?.stop();
    await stack?.stop();
    await smtp?.stop();
  }, 60000);

  it('routes the next case differently after a rule change through the admin API, and the audit trail shows the change', async () => {
    const before = await submit(portalSubmission());
    expect((await routedTo(before)).procedureId).toBe('parking-a');

    const change = await admin('PUT', '/v1/admin/routing-rules/parking', {
      leikaKey: PARKING,
      arsPrefix: '12054',
      procedureId: 'parking-b',
    });
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ ruleId: 'parking', version: 2, procedureId: 'parking-b' });

    const after = await submit(portalSubmission());
    const decision = await routedTo(after);
    expect(decision.procedureId).toBe('parking-b');
    expect(decision.explanation).toContain('rule parking (version 2)');

    const audit = await stack.json<
      { actor: string; action: string; oldValue: { procedureId: string } | null; newValue: { procedureId: string } }[]
    >('routing', '/v1/admin/audit-log?entityId=parking');
    expect(audit.body.map((a) => a.action)).toEqual(['rule.created', 'rule.changed']);
    expect(audit.body[1]).toMatchObject({
      actor: 'platform-admin',
      clientId: 'platform-admin',
      oldValue: { procedureId: 'parking-a' },
      newValue: { procedureId: 'parking-b' },
    });

    const anonymous = await stack.json('routing', '/v1/admin/routing-rules/parking', { method: 'DELETE', as: null });
    expect(anonymous.status).toBe(401);
  }, 60000);

  it('sends a case whose form schema the procedure does not accept to the manual-routing queue with the reason', async () => {
    expect(
      (
        await admin('PUT', '/v1/admin/procedures/parking-b', {
          tenantArs: TENANT,
          name: 'parking-b',
          acceptedSchemas: ['urn:xoev-de:fim:parking:2.0'],
        })
      ).status,
    ).toBe(200);
    const caseId = await submit(portalSubmission());
    const item = await waitFor('manual-routing item', async () => {
      const r = await stack.json<{ caseId: string; reasonCode: string; reason: string }[]>('routing', '/v1/manual-routing');
      return r.body.find((i) => i.caseId === caseId);
    });
    expect(item.reasonCode).toBe('schema-not-accepted');
    expect(item.reason).toMatch(/does not accept form data of schema urn:xoev-de:fim:standard:xfall_parking_1\.0/);
    expect((await admin('PUT', '/v1/admin/procedures/parking-b', { tenantArs: TENANT, name: 'parking-b' })).status).toBe(200);
  }, 60000);

  it('holds a case without the written form, tells the applicant by email, and routes it when the signed paper arrives', async () => {
    const caseId = await submit(
      portalSubmission({
        publicServiceType: { identifier: `urn:de:fim:leika:leistung:${BUILDING}`, name: 'Baugenehmigung' },
        channel: { kind: 'portal', portal: { portalId: 'p', authenticationMethod: 'bundid-password' } },
        levelOfAssurance: 'none',
      }),
    );
    const status = await waitFor('ACTION_REQUIRED', async () => {
      const r = await stack.json<{ status: string; history: { message: string }[] }>('routing', `/v1/cases/${caseId}/status`);
      return r.status === 200 && r.body.status === 'ACTION_REQUIRED' && r.body;
    });
    expect(status.history[0]!.message).toMatch(/requires the written form \(§ 3a VwVfG\)/);
    const mail = await waitFor('notification email', () => Promise.resolve(smtp.mails.find((m) => m.raw.includes(caseId))));
    expect(mail.to).toEqual(['erika.mustermann@example.org']);
    expect(mail.raw).toMatch(/Mitwirkung/);
    expect(probe.on(stack.topic('procedure.building-potsdam.cases.v1')).filter((m) => m.key === caseId)).toHaveLength(0);

    await publish('cases.evidence.v1', 'case.evidence-added', caseId, {
      caseId,
      channel: 'scan',
      writtenForm: { means: 'handwritten-signature', satisfied: true, detail: 'signed paper form, scan batch B-7' },
      receivedAt: new Date().toISOString(),
    });
    const decision = await routedTo(caseId);
    expect(decision.explanation).toMatch(/released after the applicant provided the missing evidence \(handwritten-signature via scan\)/);
    await probe.waitForCount((m) => m.topic === stack.topic('procedure.building-potsdam.cases.v1') && m.key === caseId, 1);
    const after = await stack.json<{ status: string }>('routing', `/v1/cases/${caseId}/status`);
    expect(after.body.status).toBe('PROCESSING');
  }, 60000);

  it('keeps the status a back office reports on its status topic and emails the applicant; another procedure may not report on the case', async () => {
    const caseId = await submit(portalSubmission());
    const { procedureId } = await routedTo(caseId);
    await report(procedureId, caseId, { status: 'PROCESSING', message: 'Wir prüfen Ihre Unterlagen.' });
    const history = await waitFor('status history', async () => {
      const r = await stack.json<{ status: string; history: { status: string; message: string }[] }>(
        'routing',
        `/v1/cases/${caseId}/status`,
      );
      return r.status === 200 && r.body.status === 'PROCESSING' && r.body;
    });
    expect(history.history.map((h) => h.status)).toEqual(['PROCESSING']);
    const mail = await waitFor('status email', () =>
      Promise.resolve(smtp.mails.find((m) => m.raw.includes(caseId) && m.raw.includes('bearbeitet'))),
    );
    expect(mail.raw).toContain('Wir prüfen Ihre Unterlagen.');

    // Another procedure, on its own topic, about a case that is not its own: refused with the reason.
    await report('building-potsdam', caseId, { status: 'REJECTED' });
    await deadLetters(new RegExp(`procedure building-potsdam may not report on case ${caseId}`));

    // The case's own topic, but the payload claims to be another procedure: the topic decides who reports.
    await publish(`procedure.${procedureId}.status.v1`, 'case.status-changed', caseId, {
      caseId,
      procedureId: 'building-potsdam',
      status: 'REJECTED',
      reportedBy: 'procedure:building-potsdam',
      reportedAt: new Date().toISOString(),
    });
    await deadLetters(
      new RegExp(
        `status on .*procedure\\.${procedureId}\\.status\\.v1 names procedure building-potsdam: procedure ${procedureId} reports only for itself`,
      ),
    );
    const after = await statusOf(caseId);
    expect(after.status).toBe('PROCESSING');
    expect(after.history.map((h) => h.status)).toEqual(['PROCESSING']);
  }, 60000);

  it('consumes the status topic of a procedure registered while routing runs', async () => {
    expect((await admin('PUT', '/v1/admin/procedures/parking-late', { tenantArs: TENANT, name: 'parking-late' })).status).toBe(200);
    const change = await admin('PUT', '/v1/admin/routing-rules/parking', {
      leikaKey: PARKING,
      arsPrefix: '12054',
      procedureId: 'parking-late',
    });
    expect(change.status).toBe(200);
    const caseId = await submit(portalSubmission());
    expect((await routedTo(caseId)).procedureId).toBe('parking-late');
    await report('parking-late', caseId, { status: 'PROCESSING' });
    await waitFor('status from the new procedure recorded', async () => (await statusOf(caseId)).status === 'PROCESSING');
  }, 60000);

  it('still reads the deprecated shared status topic by default, and counts each report', async () => {
    const caseId = await submit(portalSubmission());
    const { procedureId } = await routedTo(caseId);
    await publish('cases.status.v1', 'case.status-changed', caseId, {
      caseId,
      procedureId,
      status: 'PROCESSING',
      reportedBy: `procedure:${procedureId}`,
      reportedAt: new Date().toISOString(),
    });
    await waitFor('status from the shared topic recorded', async () => (await statusOf(caseId)).status === 'PROCESSING');
    const metrics = await (await fetch(`${stack.url('routing')}/metrics`)).text();
    expect(metrics).toMatch(/^poststelle_routing_legacy_status_reports_total [1-9]/m);
  }, 60000);

  it('retries a failed email delivery and shows the failure until it succeeds', async () => {
    const caseId = await submit(portalSubmission());
    const { procedureId } = await routedTo(caseId);
    await smtp.stop();
    await report(procedureId, caseId, { status: 'COMPLETED' });
    const failing = await waitFor('a failed attempt to be visible', async () => {
      const r = await stack.json<{ state: string; attempts: number; lastError: string | null }[]>(
        'routing',
        `/v1/cases/${caseId}/notifications`,
      );
      return r.body.find((n) => n.attempts >= 1 && n.state === 'pending');
    });
    expect(failing.lastError).toBeTruthy();
    await smtp.start();
    await waitFor(
      'the notification to be sent after the relay is back',
      async () =>
        (await stack.json<{ state: string }[]>('routing', `/v1/cases/${caseId}/notifications`)).body.some((n) => n.state === 'sent'),
      30000,
    );
    expect(smtp.mails.some((m) => m.raw.includes(caseId) && m.raw.includes('abgeschlossen'))).toBe(true);
  }, 60000);

  it('fans a birth application out into three linked sub-cases on three procedure topics with one aggregate status', async () => {
    const base = portalSubmission();
    const application = (leikaKey: string, name: string) => ({
      publicServiceType: { identifier: `urn:de:fim:leika:leistung:${leikaKey}`, name },
      formData: { schemaUri: `urn:demo:birth:${leikaKey}`, mimeType: 'application/json', content: { child: 'Mia', bornOn: '2026-11-20' } },
    });
    const res = await stack.json<{ bundleId: string; cases: { caseId: string; position: number }[] }>('intake', '/v1/bundles', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        lifeEvent: 'birth',
        tenant: base['tenant'],
        channel: base['channel'],
        applicant: base['applicant'],
        levelOfAssurance: 'high',
        replyChannel: base['replyChannel'],
        applications: [
          application(BIRTH.certificate, 'Geburtsurkunde'),
          application(BIRTH.childBenefit, 'Kindergeld'),
          application(BIRTH.parentalAllowance, 'Elterngeld'),
        ],
      }),
    });
    expect(res.status).toBe(202);
    const { bundleId, cases } = res.body;
    expect(cases).toHaveLength(3);

    const topics = ['registry-potsdam', 'family-benefits-bb', 'parental-allowance-bb'];
    for (const [i, procedureId] of topics.entries()) {
      const [message] = await probe.waitForCount(
        (m) => m.topic === stack.topic(`procedure.${procedureId}.cases.v1`) && m.key === cases[i]!.caseId,
        1,
      );
      const routed = JSON.parse(message!.value!) as {
        payload: { case: { bundle: { bundleId: string; lifeEvent: string; size: number; position: number } } };
      };
      expect(routed.payload.case.bundle).toEqual({ bundleId, lifeEvent: 'birth', size: 3, position: i + 1 });
    }

    const bundle = await waitFor('bundle view', async () => {
      const r = await stack.json<{ status: string; subCases: { procedureId: string; status: string }[] }>(
        'routing',
        `/v1/bundles/${bundleId}`,
      );
      return r.status === 200 && r.body.subCases.every((c) => c.procedureId) && r.body;
    });
    expect(bundle.status).toBe('SUBMITTED');
    expect(bundle.subCases.map((c) => c.procedureId)).toEqual(topics);

    const reportSubCase = (i: number, status: string) => report(topics[i]!, cases[i]!.caseId, { status });
    const aggregate = (expected: string) =>
      waitFor(
        `bundle status ${expected}`,
        async () => (await stack.json<{ status: string }>('routing', `/v1/bundles/${bundleId}`)).body.status === expected,
      );
    await reportSubCase(0, 'COMPLETED');
    await aggregate('PROCESSING');
    await reportSubCase(1, 'COMPLETED');
    await reportSubCase(2, 'COMPLETED');
    await aggregate('COMPLETED');
  }, 90000);

  it('rejects a whole bundle when one application is refused, and keeps the original with the reason', async () => {
    const base = portalSubmission();
    const big = Buffer.alloc(6 * 1024 * 1024, 1).toString('base64');
    const res = await stack.json<{ status: number; errors: { field: string }[]; rejectionId: string }>('intake', '/v1/bundles', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lifeEvent: 'birth',
        tenant: base['tenant'],
        channel: base['channel'],
        applicant: base['applicant'],
        replyChannel: base['replyChannel'],
        applications: [
          {
            publicServiceType: { identifier: `urn:de:fim:leika:leistung:${BIRTH.certificate}` },
            formData: { schemaUri: 'urn:a', mimeType: 'application/json', content: {} },
          },
          {
            publicServiceType: { identifier: `urn:de:fim:leika:leistung:${BIRTH.childBenefit}` },
            formData: { schemaUri: 'urn:b', mimeType: 'application/json', content: {} },
            attachments: [
              { attachmentId: 'big', fileName: 'big.pdf', mediaType: 'application/pdf', purpose: 'attachment', contentBase64: big },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]!.field).toBe('attachments[0].contentBase64');
    expect((await stack.json('intake', `/v1/rejections/${res.body.rejectionId}`)).status).toBe(200);
  }, 60000);
});
