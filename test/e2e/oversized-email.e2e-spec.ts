import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Client } from 'pg';
import { KafkaProbe, Stack, portalSubmission, testKafka, waitFor, type ProbedMessage } from '@poststelle/testing';

const LEIKA = '99050012104000';
const TENANT = '120540000000';
const PROCEDURE = 'parking-potsdam';
/** Far below Kafka's default message.max.bytes (1 MB): a case message carries references, not user content. */
const SMALL_MESSAGE_BYTES = 64 * 1024;

interface FormData {
  sha512: string;
  content?: Record<string, unknown>;
  contentRef?: { blobRef: string; sha512: string; sizeBytes: number };
}
interface RoutedEnvelope {
  type: string;
  payload: { case: { caseId: string; formData: FormData }; decision: { procedureId: string } };
}

const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('hex');

/** A JSON form of exactly `bytes` bytes naming the service (LeiKa) and the region (ARS), as the email channel reads them. */
function jsonForm(bytes: number, marker: string): Buffer {
  const head = { leikaKey: LEIKA, ars: TENANT, marker, antrag: { kennzeichen: 'P-AB 123', zone: 'B' }, anlagen: '' };
  const empty = Buffer.byteLength(JSON.stringify(head));
  return Buffer.from(JSON.stringify({ ...head, anlagen: 'x'.repeat(bytes - empty) }));
}

/** An email of ~2.9 MB: a plain-text letter and a 2 MiB JSON form attachment. */
async function oversizedEmail(marker: string): Promise<{ raw: Buffer; form: Buffer }> {
  const form = jsonForm(2 * 1024 * 1024, marker);
  const raw = await new MailComposer({
    from: 'erika@example.org',
    to: 'antraege@stadt.example',
    subject: 'Antrag Bewohnerparkausweis',
    messageId: `<${randomUUID()}@example.org>`,
    text: `Sehr geehrte Damen und Herren,\n\nanbei mein Antrag.\n\n${'Mit freundlichen Grüßen, Erika Mustermann\n'.repeat(800)}`,
    attachments: [{ filename: 'antrag.json', contentType: 'application/json', content: form }],
  })
    .compile()
    .build();
  return { raw, form };
}

describe('claim check: an oversized email becomes a routed case, and nothing behind it is stranded', () => {
  let stack: Stack;
  let probe: KafkaProbe;
  let db: Client;
  const blobDir = mkdtempSync(join(tmpdir(), 'ps-oversized-blobs-'));

  const postEmail = (raw: Buffer) =>
    stack.json<{ status?: string; caseId?: string }>('intake', '/v1/email', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: raw,
    });
  const postSubmission = (body: unknown) =>
    stack.json<{ caseId?: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
  const routed = async (caseId: string, timeoutMs = 60000): Promise<{ message: ProbedMessage; envelope: RoutedEnvelope }> => {
    const [message] = await probe.waitForCount(
      (m) => m.topic === stack.topic(`procedure.${PROCEDURE}.cases.v1`) && m.key === caseId,
      1,
      timeoutMs,
    );
    return { message: message!, envelope: JSON.parse(message!.value!) as RoutedEnvelope };
  };
  /** The blob as the file-system blob store keeps it: `<aa>/<bb>/<sha512>`. */
  const blob = (hash: string) => readFileSync(join(blobDir, hash.slice(0, 2), hash.slice(2, 4), hash));

  beforeAll(async () => {
    stack = await new Stack({ extraEnv: { BLOB_DIR: blobDir } }).start();
    await stack.seedRoute({ procedureId: PROCEDURE, tenantArs: TENANT, leikaKey: LEIKA, arsPrefix: '12054' });
    probe = await new KafkaProbe().start([
      stack.topic(`procedure.${PROCEDURE}.cases.v1`),
      stack.topic('cases.received.v1'),
      stack.topic('archive.records.v1'),
    ]);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await db?.end();
    await stack?.stop();
    rmSync(blobDir, { recursive: true, force: true });
  }, 60000);

  /** Sends the oversized email and proves the claim check end to end; returns the case id. */
  async function oversizedEmailIsRouted(marker: string): Promise<string> {
    const { raw, form } = await oversizedEmail(marker);
    expect(form.length).toBe(2 * 1024 * 1024);
    expect(raw.length).toBeGreaterThan(2.8e6);
    expect(raw.length).toBeLessThan(3.0e6);

    const res = await postEmail(raw);
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('case');
    const caseId = res.body.caseId!;

    // On its procedure topic: a small message carrying a reference, hash and size, never the form itself.
    const { message, envelope } = await routed(caseId);
    expect(envelope.type).toBe('case.routed');
    expect(envelope.payload.decision.procedureId).toBe(PROCEDURE);
    expect(Buffer.byteLength(message.value!)).toBeLessThan(SMALL_MESSAGE_BYTES);
    const { formData } = envelope.payload.case;
    expect(formData.content).toBeUndefined();
    const ref = formData.contentRef!;
    expect(ref.blobRef).toBe(`blob:sha512:${ref.sha512}`);
    expect(ref.sha512).toBe(formData.sha512);
    expect(ref.sizeBytes).toBeGreaterThan(2 * 1024 * 1024);

    // The blob is there, its hash and size match the reference, and it is the form the sender attached.
    const stored = blob(ref.sha512);
    expect(stored.length).toBe(ref.sizeBytes);
    expect(sha512(stored)).toBe(ref.sha512);
    const content = JSON.parse(stored.toString('utf8')) as { form: Record<string, unknown>; formFileName: string };
    expect(content.formFileName).toBe('antrag.json');
    expect(content.form).toEqual(JSON.parse(form.toString('utf8')));

    // case.received was small as well.
    const [received] = await probe.waitForCount((m) => m.topic === stack.topic('cases.received.v1') && m.key === caseId, 1);
    expect(Buffer.byteLength(received!.value!)).toBeLessThan(SMALL_MESSAGE_BYTES);

    // The archive verified the blob against its hash and filed the application data in the e-file.
    const file = await waitFor('e-file', async () => {
      const r = await stack.json<{ documents: { title: string; sha512: string }[] }>('archive', `/v1/cases/${caseId}/file`);
      return r.status === 200 && r.body;
    });
    expect(file.documents).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Antragsdaten', sha512: ref.sha512 })]));

    // GET /v1/cases/{id} still shows the form data, read back from the blob store.
    const view = await stack.json<{ status: string; case: { formData: FormData } }>('intake', `/v1/cases/${caseId}`);
    expect(view.status).toBe(200);
    expect(view.body.case.formData.contentRef).toEqual(ref);
    expect((view.body.case.formData.content as { form: { marker: string } }).form.marker).toBe(marker);
    return caseId;
  }

  it('routes the 2.9 MB email with its 2 MiB JSON form by reference, and routes the cases after it', async () => {
    await oversizedEmailIsRouted('first');

    // What comes after it is not held up behind it.
    const small = await postSubmission(portalSubmission());
    expect(small.status).toBe(202);
    const { envelope } = await routed(small.body.caseId!);
    // Small forms still travel inline, as before.
    expect(envelope.payload.case.formData.content).toEqual({ plate: 'P-AB 123', zone: 'B' });
    expect(envelope.payload.case.formData.contentRef).toBeUndefined();

    // A large portal form takes the same claim check as the email.
    const bulky = { plate: 'P-AB 123', notes: 'n'.repeat(300 * 1024) };
    const large = await postSubmission(
      portalSubmission({
        formData: { schemaUri: 'urn:xoev-de:fim:standard:xfall_parking_1.0', mimeType: 'application/json', content: bulky },
      }),
    );
    expect(large.status).toBe(202);
    const { message, envelope: largeEnvelope } = await routed(large.body.caseId!);
    expect(Buffer.byteLength(message.value!)).toBeLessThan(SMALL_MESSAGE_BYTES);
    const ref = largeEnvelope.payload.case.formData.contentRef!;
    expect(JSON.parse(blob(ref.sha512).toString('utf8'))).toEqual(bulky);
  }, 180000);

  it('routing forwards a case inlined by a producer from before the claim check by reference (backward compatible)', async () => {
    // Taken from a case intake published, with its form inlined as every producer did before the claim check.
    const { envelope: template } = await routed((await postSubmission(portalSubmission())).body.caseId!);
    const content = { plate: 'P-AB 123', notes: 'o'.repeat(200 * 1024) };
    const contentBytes = Buffer.from(JSON.stringify(content));
    const caseId = randomUUID();
    const legacy = {
      ...template.payload.case,
      caseId,
      submissionId: randomUUID(),
      formData: {
        schemaUri: 'urn:xoev-de:fim:standard:xfall_parking_1.0',
        mimeType: 'application/json',
        sha512: sha512(contentBytes),
        content,
      },
    };
    const producer = testKafka().producer();
    await producer.connect();
    const envelope = {
      id: randomUUID(),
      type: 'case.received',
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: caseId,
      tenant: TENANT,
      payload: { case: legacy },
    };
    await producer.send({ topic: stack.topic('cases.received.v1'), messages: [{ key: caseId, value: JSON.stringify(envelope) }] });
    await producer.disconnect();

    const { message, envelope: forwarded } = await routed(caseId);
    expect(Buffer.byteLength(message.value!)).toBeLessThan(SMALL_MESSAGE_BYTES);
    const { formData } = forwarded.payload.case;
    expect(formData.content).toBeUndefined();
    expect(formData.contentRef).toEqual({
      blobRef: `blob:sha512:${sha512(contentBytes)}`,
      sha512: sha512(contentBytes),
      sizeBytes: contentBytes.length,
    });
    expect(blob(formData.contentRef!.sha512).equals(contentBytes)).toBe(true);
  }, 120000);

  it('keeps routing after intake is restarted, and strands nothing in the outbox', async () => {
    await stack.service('intake').stop();
    await stack.service('intake').start();

    await oversizedEmailIsRouted('after-restart');
    const after = await postSubmission(portalSubmission());
    expect(after.status).toBe(202);
    await routed(after.body.caseId!);

    await waitFor('intake outbox drained', async () => {
      const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM intake.outbox')).rows as [{ n: string }];
      return n === '0';
    });
    // Nothing set aside either (the relay's parking table, where it exists).
    const [{ parked }] = (await db.query<{ parked: string | null }>(`SELECT to_regclass('intake.outbox_parked')::text AS parked`)).rows as [
      { parked: string | null },
    ];
    if (parked) {
      const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM intake.outbox_parked')).rows as [{ n: string }];
      expect(n).toBe('0');
    }
  }, 180000);
});
