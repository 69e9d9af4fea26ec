import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { KafkaProbe, OtlpReceiver, Stack, portalSubmission, testKafka, waitFor } from '@poststelle/testing';

const LEIKA = '99050012104000';
const TENANT = '120540000000';

describe('one case end to end through all five services', () => {
  const otlp = new OtlpReceiver();
  let stack: Stack;
  let probe: KafkaProbe;
  let db: Client;

  const post = (body: unknown, key?: string) =>
    stack.json<Record<string, unknown>>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    const endpoint = await otlp.start();
    stack = await new Stack({ otlpEndpoint: endpoint }).start();
    await stack.seedRoute({ procedureId: 'parking-potsdam', tenantArs: TENANT, leikaKey: LEIKA, arsPrefix: '12054', fee: '30.50' });
    probe = await new KafkaProbe().start([
      stack.topic('procedure.parking-potsdam.cases.v1'),
      stack.topic('cases.routed.v1'),
      stack.topic('cases.received.v1'),
    ]);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 120000);

  afterAll(async () => {
    await probe?.stop();
    await db?.end();
    await stack?.stop();
    await otlp.stop();
  }, 60000);

  it('routes an HTTP submission to its procedure topic, records fee, e-file and invoice candidate, all in one trace', async () => {
    const res = await post(portalSubmission(), randomUUID());
    expect(res.status).toBe(202);
    const caseId = res.body['caseId'] as string;
    expect(res.headers.get('location')).toBe(`/v1/cases/${caseId}`);

    const [onProcedure] = await probe.waitForCount(
      (m) => m.topic === stack.topic('procedure.parking-potsdam.cases.v1') && m.key === caseId,
      1,
    );
    const envelope = JSON.parse(onProcedure!.value!) as {
      type: string;
      correlationId: string;
      payload: { case: { caseId: string }; decision: { ruleVersion: number } };
    };
    expect(envelope.type).toBe('case.routed');
    expect(envelope.payload.case.caseId).toBe(caseId);

    const payment = await waitFor('payment record', async () => {
      const r = await stack.json<Record<string, string>>('payment', `/v1/cases/${caseId}/payment`);
      return r.status === 200 && r.body;
    });
    expect(payment).toMatchObject({ amountDue: '30.50', currency: 'EUR', status: 'INITIAL' });
    expect(payment['kassenzeichen']).toMatch(/^12054-\d{4}-\d{7}-\d$/);

    const file = await waitFor('e-file', async () => {
      const r = await stack.json<{ fileReference: string; documents: { sha512: string }[] }>('archive', `/v1/cases/${caseId}/file`);
      return r.status === 200 && r.body;
    });
    expect(file.fileReference).toMatch(/^parking-potsdam-\d{4}-\d{6}$/);
    expect(file.documents).toHaveLength(2); // the form data and the attachment (issue 15: every document is filed)
    expect(file.documents[1]!.sha512).toMatch(/^[a-f0-9]{128}$/);

    const feeRecord = await waitFor('fee record for invoicing', async () => {
      const r = await stack.json<Record<string, string>>('erechnung', `/v1/cases/${caseId}/fee-record`);
      return r.status === 200 && r.body;
    });
    expect(feeRecord).toMatchObject({ amount: '30.50', billing: 'not-chosen' }); // the applicant has not chosen how to pay yet

    const view = await waitFor('case timeline complete', async () => {
      const r = await stack.json<{ status: string; routedTo: { procedureId: string }; timeline: { type: string }[] }>(
        'intake',
        `/v1/cases/${caseId}`,
      );
      return r.body.timeline.length >= 4 && r.body;
    });
    expect(view.status).toBe('routed');
    expect(view.routedTo.procedureId).toBe('parking-potsdam');
    expect(view.timeline.map((t) => t.type).sort()).toEqual(['archive.file-opened', 'case.routed', 'fee.due', 'invoice.fee-recorded']);

    const traceId = onProcedure!.headers['traceparent']!.split('-')[1]!;
    const services = await waitFor(
      'spans of all five services in the case trace',
      () => {
        const seen = new Set(otlp.spans.filter((s) => s.traceId === traceId).map((s) => s.service));
        return Promise.resolve(seen.size === 5 && seen);
      },
      20000,
    );
    expect([...services].sort()).toEqual(['archive', 'erechnung', 'intake', 'payment', 'routing']);
    const inTrace = otlp.spans.filter((s) => s.traceId === traceId);
    expect(inTrace.some((s) => s.service === 'intake' && s.kind === 2 /* SERVER */)).toBe(true);
    expect(inTrace.some((s) => s.name.endsWith('process') && s.service === 'erechnung')).toBe(true);
  }, 60000);

  it('accepts the same submission twice under one Idempotency-Key as one case', async () => {
    const key = randomUUID();
    const body = portalSubmission();
    const first = await post(body, key);
    const second = await post(body, key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body['caseId']).toBe(first.body['caseId']);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM intake.submissions WHERE idempotency_key = $1', [
      `http:${key}`,
    ]);
    expect(rows[0]!.n).toBe(1);

    const reused = await post(portalSubmission({ tenant: { ars: '120540000001' } }), key);
    expect(reused.status).toBe(422);
    expect(reused.body['type']).toMatch(/idempotency-key-reused$/);
  }, 30000);

  it('does not repeat a side effect when Kafka redelivers a message', async () => {
    const res = await post(portalSubmission(), randomUUID());
    const caseId = res.body['caseId'] as string;
    const [routed] = await probe.waitForCount((m) => m.topic === stack.topic('cases.routed.v1') && m.key === caseId, 1);
    // Payment records the fee from cases.received.v1 (before routing, so a gated case is payable).
    const [received] = await probe.waitForCount((m) => m.topic === stack.topic('cases.received.v1') && m.key === caseId, 1);
    await waitFor('fee recorded', async () => (await stack.json('payment', `/v1/cases/${caseId}/payment`)).status === 200);

    const duplicatesBefore = await duplicateCount(stack, 'payment');
    const producer = testKafka().producer();
    await producer.connect();
    for (const m of [routed!, received!])
      await producer.send({ topic: m.topic, messages: [{ key: m.key, value: m.value, headers: m.headers }] });
    await producer.disconnect();

    await waitFor('payment to see the redelivery', async () => (await duplicateCount(stack, 'payment')) > duplicatesBefore);
    const dues = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM payment.payments WHERE case_id = $1', [caseId]);
    expect(dues.rows[0]!.n).toBe(1);
    const files = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM archive.e_files WHERE case_id = $1', [caseId]);
    expect(files.rows[0]!.n).toBe(1);
  }, 60000);

  it('turns a submission published by a channel adapter on intake.submissions.v1 into a case, and keeps an invalid one with its reason', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    const envelope = (payload: unknown) => ({
      id: randomUUID(),
      type: 'submission.submitted',
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      tenant: TENANT,
      payload,
    });
    const good = envelope({
      idempotencyKey: randomUUID(),
      submission: portalSubmission({ channel: { kind: 'portal', portal: { portalId: 'adapter' } } }),
    });
    const bad = envelope({ idempotencyKey: randomUUID(), submission: { tenant: { ars: 'x' } } });
    await producer.send({
      topic: stack.topic('intake.submissions.v1'),
      messages: [
        { key: good.correlationId, value: JSON.stringify(good) },
        { key: bad.correlationId, value: JSON.stringify(bad) },
      ],
    });
    await producer.disconnect();
    const rejected = await waitFor('rejection kept', async () => {
      const { rows } = await db.query<{ errors: { field: string }[]; original: Buffer }>(
        `SELECT errors, original FROM intake.rejected_inputs WHERE source = 'kafka' AND convert_from(original, 'UTF8') LIKE '%' || $1 || '%'`,
        [(bad.payload as { idempotencyKey: string }).idempotencyKey],
      );
      return rows[0];
    });
    expect(rejected.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['submission.tenant.ars', 'submission.publicServiceType']));
    // The valid one may sit on another partition: wait for it rather than assume it came first.
    const accepted = await waitFor('valid adapter submission accepted', async () => {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM intake.submissions WHERE idempotency_key = $1`, [
        `kafka:${(good.payload as { idempotencyKey: string }).idempotencyKey}`,
      ]);
      return rows[0]!.n > 0 && rows[0]!.n;
    });
    expect(accepted).toBe(1);
  }, 60000);

  it('links a later case of the same applicant for the same service from another channel as a possible duplicate', async () => {
    const applicant = {
      kind: 'natural',
      givenName: 'Jonas',
      familyName: `Duplikat-${randomUUID().slice(0, 8)}`,
      address: { postalCode: '14469', city: 'Potsdam' },
    };
    const first = await post(portalSubmission({ applicant }), randomUUID());
    expect(first.status).toBe(202);

    const producer = testKafka().producer();
    await producer.connect();
    const idempotencyKey = randomUUID();
    const viaEmail = portalSubmission({ applicant, channel: { kind: 'email', email: { rawMessageSha512: 'c'.repeat(128) } } });
    const envelope = {
      id: randomUUID(),
      type: 'submission.submitted',
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: idempotencyKey,
      tenant: TENANT,
      payload: { idempotencyKey, submission: viaEmail },
    };
    await producer.send({
      topic: stack.topic('intake.submissions.v1'),
      messages: [{ key: idempotencyKey, value: JSON.stringify(envelope) }],
    });
    await producer.disconnect();

    const second = await waitFor('the email case', async () => {
      const { rows } = await db.query<{ canonical: { caseId: string; possibleDuplicateOf?: string; channel: { kind: string } } }>(
        `SELECT c.canonical FROM intake.cases c JOIN intake.submissions s ON s.case_id = c.case_id WHERE s.idempotency_key = $1`,
        [`kafka:${idempotencyKey}`],
      );
      return rows[0]?.canonical;
    });
    expect(second.channel.kind).toBe('email');
    expect(second.possibleDuplicateOf).toBe(first.body['caseId']);
    expect(second.caseId).not.toBe(first.body['caseId']);
  }, 60000);

  it('serves its OpenAPI document', async () => {
    const res = await fetch(`${stack.url('intake')}/openapi.yaml`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^openapi: 3\.1/m);
    expect(text).toContain('/v1/submissions:');
  });

  describe('invalid submissions get 422 with field-level problem details and are kept', () => {
    const cases: [string, () => unknown, string[]][] = [
      ['missing fields', () => ({ tenant: { ars: TENANT } }), ['publicServiceType', 'channel', 'applicant', 'formData', 'replyChannel']],
      [
        'wrong LeiKa format',
        () => portalSubmission({ publicServiceType: { identifier: 'urn:de:fim:leika:leistung:12345' } }),
        ['publicServiceType.identifier'],
      ],
      ['wrong ARS format', () => portalSubmission({ tenant: { ars: '12054' } }), ['tenant.ars']],
      [
        'wrong types',
        () => portalSubmission({ levelOfAssurance: 3, applicant: { kind: 'natural', email: 42 } }),
        ['levelOfAssurance', 'applicant.email'],
      ],
      ['unknown field', () => portalSubmission({ surprise: true }), ['surprise']],
      [
        'two reply channels',
        () => portalSubmission({ replyChannel: { eMail: { address: 'a@example.org' }, deMail: { address: 'b@example.org' } } }),
        ['replyChannel'],
      ],
    ];
    it.each(cases)('%s', async (_name, body, fields) => {
      const res = await post(body());
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const errors = res.body['errors'] as { field: string; message: string }[];
      expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
      errors.forEach((e) => expect(e.message.length).toBeGreaterThan(5));
      const rejection = await stack.json<{ originalSha512: string }>('intake', `/v1/rejections/${res.body['rejectionId'] as string}`);
      expect(rejection.status).toBe(200);
      expect(rejection.body.originalSha512).toMatch(/^[a-f0-9]{128}$/);
    });

    it('an attachment over the per-attachment limit is a field error', async () => {
      const big = Buffer.alloc(6 * 1024 * 1024, 1).toString('base64');
      const res = await post(
        portalSubmission({
          attachments: [
            { attachmentId: 'big', fileName: 'big.pdf', mediaType: 'application/pdf', purpose: 'attachment', contentBase64: big },
          ],
        }),
      );
      expect(res.status).toBe(422);
      expect((res.body['errors'] as { field: string }[])[0]!.field).toBe('attachments[0].contentBase64');
    }, 30000);

    it('a body over the HTTP limit is refused with 413 problem details', async () => {
      const res = await post(JSON.stringify({ padding: 'x'.repeat(11 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body['type']).toMatch(/payload-too-large$/);
    }, 30000);

    it('malformed JSON is 400 and kept', async () => {
      const res = await post('{"tenant": ');
      expect(res.status).toBe(400);
      expect(res.body['rejectionId']).toEqual(expect.any(String));
    });
  });

  async function duplicateCount(s: Stack, service: 'payment'): Promise<number> {
    const text = await (await fetch(`${s.url(service)}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) => l.startsWith('poststelle_messages_consumed_total') && l.includes('outcome="duplicate"') && l.includes('cases.received.v1'),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  }
});
