import { createHash, randomUUID } from 'node:crypto';
import { Stack, minimalPdf } from '@poststelle/testing';

const sha512 = (b: Buffer | string) => createHash('sha512').update(b).digest('hex');
const TENANT = '120540000000';

describe('FIT-Connect compatible portal channel', () => {
  let stack: Stack;
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType = 'application/json') =>
    stack.json<T>('intake', `/v1/fit-connect/submissions${path}`, {
      method,
      headers: { 'content-type': contentType },
      ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });

  const pdf = minimalPdf(`Fahrzeugschein ${randomUUID()}`);
  const data = JSON.stringify({ plate: 'P-AB 123' });
  const metadata = (attachmentId: string, overrides: Record<string, unknown> = {}) => ({
    contentStructure: {
      data: {
        hash: { type: 'sha512', content: sha512(data) },
        submissionSchema: { schemaUri: 'https://schema.example/parking.json', mimeType: 'application/json' },
      },
      attachments: [
        {
          attachmentId,
          hash: { type: 'sha512', content: sha512(pdf) },
          purpose: 'attachment',
          mimeType: 'application/pdf',
          filename: 'schein.pdf',
        },
      ],
    },
    publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000', name: 'Bewohnerparkausweis' },
    authenticationInformation: [{ type: 'identificationReport', version: '1.0.0', content: 'eyJhbGciOiJub25lIn0.e30.' }],
    paymentInformation: {
      transactionReference: 'KZ-2026-1',
      transactionId: 'tx-1',
      paymentMethod: 'CREDITCARD',
      status: 'BOOKED',
      grossAmount: 30.5,
    },
    replyChannel: { eMail: { address: 'erika@example.org' } },
    additionalReferenceInfo: { senderReference: 'AZ-77', applicationDate: '2026-11-01' },
    ...overrides,
  });
  const announce = async (meta: unknown) =>
    call<{ submissionId: string; title?: string; errors?: { field: string }[] }>('POST', '', { tenantArs: TENANT, metadata: meta });

  beforeAll(async () => {
    stack = await new Stack().start();
  }, 180000);
  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  it('announce → upload → submit becomes a case with payment, auth, reply channel and references kept; events readable', async () => {
    const attachmentId = randomUUID();
    const a = await announce(metadata(attachmentId));
    expect(a.status).toBe(201);
    const id = a.body.submissionId;
    const up = await call('PUT', `/${id}/attachments/${attachmentId}`, pdf, 'application/pdf');
    expect(up.status).toBe(200);
    const sub = await call<{ caseId: string; status: string }>('POST', `/${id}/submit`, { data });
    expect(sub.status).toBe(202);
    const view = await stack.json<{ case: Record<string, unknown> }>('intake', `/v1/cases/${sub.body.caseId}`);
    expect(view.body.case).toMatchObject({
      paymentInformation: { transactionReference: 'KZ-2026-1', grossAmount: '30.50', status: 'BOOKED' },
      replyChannel: { eMail: { address: 'erika@example.org' } },
      senderReference: 'AZ-77',
      applicationDate: '2026-11-01',
      authenticationInformation: [{ type: 'identificationReport', version: '1.0.0' }],
      channel: { kind: 'portal', portal: { fitConnectSubmissionId: id } },
      formData: { content: { plate: 'P-AB 123' } },
    });
    const events = await call<{ status: string; events: { type: string }[] }>('GET', `/${id}/events`);
    expect(events.body.status).toBe('accepted');
    expect(events.body.events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'submitted', 'accepted']));
  }, 30000);

  it('maps FIT-Connect 2.x publicService', async () => {
    const m = metadata(randomUUID()) as Record<string, unknown>;
    m['publicService'] = m['publicServiceType'];
    delete m['publicServiceType'];
    expect((await announce(m)).status).toBe(201);
  });

  it('rejects a schema violation with field errors', async () => {
    const r = await announce({ contentStructure: { attachments: [{ attachmentId: 'x' }] } });
    expect(r.status).toBe(422);
    expect(r.body.title).toBe('FIT_METADATA_SCHEMA_VIOLATION');
    expect(r.body.errors!.length).toBeGreaterThan(0);
  });

  it('rejects an unannounced attachment, a hash mismatch and a missing attachment; the sender sees the rejection', async () => {
    const attachmentId = randomUUID();
    const id = (await announce(metadata(attachmentId))).body.submissionId;
    const unannounced = await call('PUT', `/${id}/attachments/${randomUUID()}`, pdf, 'application/pdf');
    expect([unannounced.status, unannounced.body['title']]).toEqual([422, 'FIT_ATTACHMENT_UNANNOUNCED']);
    const wrong = await call('PUT', `/${id}/attachments/${attachmentId}`, Buffer.from('not the pdf'), 'application/pdf');
    expect([wrong.status, wrong.body['title']]).toEqual([422, 'FIT_ATTACHMENT_HASH_MISMATCH']);
    const missing = await call('POST', `/${id}/submit`, { data });
    expect([missing.status, missing.body['title']]).toEqual([422, 'FIT_ATTACHMENT_MISSING']);
    const events = await call<{ status: string; events: { type: string }[] }>('GET', `/${id}/events`);
    expect(events.body.status).toBe('rejected');
    expect(events.body.events.map((e) => e.type)).toContain('rejected');
  });

  it('rejects data whose hash does not match', async () => {
    const attachmentId = randomUUID();
    const id = (await announce(metadata(attachmentId))).body.submissionId;
    await call('PUT', `/${id}/attachments/${attachmentId}`, pdf, 'application/pdf');
    const r = await call('POST', `/${id}/submit`, { data: JSON.stringify({ plate: 'tampered' }) });
    expect([r.status, r.body['title']]).toEqual([422, 'FIT_DATA_HASH_MISMATCH']);
  });
});
