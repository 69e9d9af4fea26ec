import { createHash, randomUUID } from 'node:crypto';
import { Stack, portalSubmission, type ServiceName } from '@poststelle/testing';

const sha512 = (b: Buffer | string) => createHash('sha512').update(b).digest('hex');
const LIMIT = 64 * 1024;
const PROBLEMS = 'https://poststelle.example/problems/';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  rejectionId?: string;
  [extension: string]: unknown;
}

interface Kept {
  reasonCode: string;
  originalSha512: string | null;
  errors: { field: string; message: string }[];
}

/** Bodies that are broken in every way a body can be, and the refusal each must get. */
const BROKEN: { what: string; body: Buffer | string; contentType: string; status: number; code: string; stored: boolean }[] = [
  {
    what: 'a syntax error',
    body: '{"tenant": {"ars": geheim}}',
    contentType: 'application/json',
    status: 400,
    code: 'MALFORMED_JSON',
    stored: true,
  },
  {
    what: 'a truncated body',
    body: '{"tenant": {"ars": "1205',
    contentType: 'application/json',
    status: 400,
    code: 'MALFORMED_JSON',
    stored: true,
  },
  {
    what: 'a JSON array',
    body: '[{"tenant": {}}]',
    contentType: 'application/json',
    status: 422,
    code: 'INVALID_SUBMISSION',
    stored: true,
  },
  { what: 'a JSON string', body: '"Antrag"', contentType: 'application/json', status: 422, code: 'INVALID_SUBMISSION', stored: true },
  {
    what: 'a wrong content type',
    body: '{"tenant": {}}',
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    stored: true,
  },
  {
    what: 'invalid UTF-8',
    body: Buffer.concat([Buffer.from('{"applicant": {"givenName": "Er'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('ka"}}')]),
    contentType: 'application/json',
    status: 400,
    code: 'INVALID_UTF8',
    stored: true,
  },
  {
    what: 'a body over the limit',
    body: JSON.stringify({ padding: 'x'.repeat(LIMIT + 1000) }),
    contentType: 'application/json',
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    stored: false,
  },
];

describe('malformed input: every submission-type endpoint refuses it specifically and keeps it', () => {
  let stack: Stack;

  const send = (service: ServiceName, method: string, path: string, body: Buffer | string, contentType: string) =>
    stack.json<Problem>(service, path, {
      method,
      headers: { 'content-type': contentType, 'idempotency-key': randomUUID() },
      body,
    });

  const fitAnnounce = async () => {
    const data = JSON.stringify({ plate: 'P-AB 123' });
    const r = await send(
      'intake',
      'POST',
      '/v1/fit-connect/submissions',
      JSON.stringify({
        tenantArs: '120540000000',
        metadata: {
          contentStructure: {
            data: {
              hash: { type: 'sha512', content: sha512(data) },
              submissionSchema: { schemaUri: 'https://schema.example/antrag', mimeType: 'application/json' },
            },
            attachments: [],
          },
          publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000', name: 'Bewohnerparkausweis' },
          replyChannel: { eMail: { address: 'erika@example.org' } },
        },
      }),
      'application/json',
    );
    expect(r.status).toBe(201);
    return { submissionId: r.body['submissionId'] as string, data };
  };

  const bundle = () => {
    const base = portalSubmission();
    const application = (name: string) => ({
      publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000', name },
      formData: { schemaUri: 'urn:demo:parking', mimeType: 'application/json', content: { plate: 'P-AB 123' } },
    });
    return JSON.stringify({
      lifeEvent: 'birth',
      tenant: base['tenant'],
      channel: base['channel'],
      applicant: base['applicant'],
      levelOfAssurance: 'high',
      replyChannel: base['replyChannel'],
      applications: [application('Bewohnerparkausweis'), application('Bewohnerparkausweis (Zweitwagen)')],
    });
  };

  const ENDPOINTS: { name: string; path: () => Promise<string>; valid: () => Promise<{ path: string; body: string; status: number }> }[] = [
    {
      name: 'POST /v1/submissions',
      path: () => Promise.resolve('/v1/submissions'),
      valid: () => Promise.resolve({ path: '/v1/submissions', body: JSON.stringify(portalSubmission()), status: 202 }),
    },
    {
      name: 'POST /v1/bundles',
      path: () => Promise.resolve('/v1/bundles'),
      valid: () => Promise.resolve({ path: '/v1/bundles', body: bundle(), status: 202 }),
    },
    {
      name: 'FIT-Connect announce',
      path: () => Promise.resolve('/v1/fit-connect/submissions'),
      valid: async () => {
        const { submissionId, data } = await fitAnnounce();
        return { path: `/v1/fit-connect/submissions/${submissionId}/submit`, body: JSON.stringify({ data }), status: 202 };
      },
    },
    {
      name: 'FIT-Connect submit',
      path: async () => `/v1/fit-connect/submissions/${(await fitAnnounce()).submissionId}/submit`,
      valid: async () => {
        const { submissionId, data } = await fitAnnounce();
        return { path: `/v1/fit-connect/submissions/${submissionId}/submit`, body: JSON.stringify({ data }), status: 202 };
      },
    },
  ];

  beforeAll(async () => {
    stack = await new Stack({ extraEnv: { HTTP_BODY_LIMIT_BYTES: String(LIMIT) } }).start();
  }, 180000);
  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  describe.each(ENDPOINTS)('$name', ({ path, valid }) => {
    it.each(BROKEN)('$what → $status $code, kept under its rejectionId', async ({ body, contentType, status, code, stored }) => {
      const r = await send('intake', 'POST', await path(), body, contentType);
      expect({ status: r.status, type: r.body.type, title: r.body.title }).toEqual({
        status,
        type: `${PROBLEMS}${code.toLowerCase().replace(/_/g, '-')}`,
        title: code,
      });
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(r.body)).not.toContain('geheim');
      expect(r.body.rejectionId).toEqual(expect.any(String));
      const kept = await stack.json<Kept>('intake', `/v1/rejections/${r.body.rejectionId}`);
      expect(kept.status).toBe(200);
      expect(kept.body.reasonCode).toBe(code);
      expect(kept.body.originalSha512).toBe(stored ? sha512(body) : null);
      if (code === 'PAYLOAD_TOO_LARGE') {
        expect(r.body['limitBytes']).toBe(LIMIT);
        expect(kept.body.errors[0]!.message).toContain(String(LIMIT));
      }
      if (code === 'UNSUPPORTED_MEDIA_TYPE') expect(r.body.detail).toContain('application/json');
      if (code === 'MALFORMED_JSON' && typeof body === 'string' && body.startsWith('{"tenant": {"ars": "')) {
        expect(r.body).toMatchObject({ line: 1, column: body.length + 1, position: body.length });
      }
    });

    it('keeps serving: a valid request right after succeeds and /health is ok', async () => {
      const ok = await valid();
      const r = await send('intake', 'POST', ok.path, ok.body, 'application/json');
      expect(r.status).toBe(ok.status);
      expect((await stack.json('intake', '/health')).status).toBe(200);
    });
  });

  describe('other services and admin endpoints: the specific problem, nothing stored', () => {
    const rule = JSON.stringify({ ruleId: 'r1', leikaKey: '99050012104000', arsPrefix: '12', procedureId: 'parking' });
    it.each([
      ['malformed JSON', '{"ruleId": "r1", geheim}', 'application/json', 400, 'malformed-json'],
      ['a bare JSON string', '"geheim"', 'application/json', 400, 'malformed-json'],
      ['a wrong content type', rule, 'text/plain', 415, 'unsupported-media-type'],
      [
        'invalid UTF-8',
        Buffer.concat([Buffer.from('{"ruleId": "r'), Buffer.from([0xff]), Buffer.from('"}')]),
        'application/json',
        400,
        'invalid-utf8',
      ],
      ['a body over the limit', JSON.stringify({ padding: 'x'.repeat(LIMIT + 1) }), 'application/json', 413, 'payload-too-large'],
    ])('routing POST /v1/admin/routing-rules with %s', async (_what, body, contentType, status, type) => {
      const r = await send('routing', 'POST', '/v1/admin/routing-rules', body, contentType);
      expect({ status: r.status, type: r.body.type }).toEqual({ status, type: `${PROBLEMS}${type}` });
      expect(JSON.stringify(r.body)).not.toContain('geheim');
      expect(r.body.rejectionId).toBeUndefined();
    });
    it('intake admin PUT /v1/admin/mailboxes/{address} with malformed JSON → 400 malformed-json with line/column', async () => {
      const r = await send('intake', 'PUT', '/v1/admin/mailboxes/poststelle@example.org', '{\n  "tenantArs": ,\n}', 'application/json');
      expect({ status: r.status, type: r.body.type }).toEqual({ status: 400, type: `${PROBLEMS}malformed-json` });
      expect(r.body).toMatchObject({ line: 2, column: 16, position: 17 });
      expect(r.body.rejectionId).toBeUndefined();
    });
    it('routing keeps serving', async () => {
      const procedure = JSON.stringify({ tenantArs: '120540000000', name: 'parking' });
      expect((await send('routing', 'PUT', '/v1/admin/procedures/parking', procedure, 'application/json')).status).toBe(200);
      const r = await send('routing', 'POST', '/v1/admin/routing-rules', rule, 'application/json');
      expect(r.status).toBe(201);
      expect((await stack.json('routing', '/health')).status).toBe(200);
    });
  });
});
