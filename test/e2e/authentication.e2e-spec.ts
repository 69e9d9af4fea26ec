import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { SERVICES, Stack, portalSubmission, type ServiceName } from '@poststelle/testing';

// Access is declared, never assumed: every operation in docs/openapi.yaml, on every service that serves it, refuses a
// call without a valid token from the real OpenID provider, except the three open ones.

interface Operation {
  method: string;
  /** The documented path with its parameters filled in. */
  path: string;
  services: ServiceName[];
  permission: string | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** Open to anyone (`security: []`), and the document itself. */
const OPEN = new Set(['GET /health', 'GET /metrics', 'GET /openapi.yaml']);

function documentedOperations(): Operation[] {
  const doc = parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.yaml'), 'utf8')) as {
    paths: Record<string, Record<string, unknown> & { servers?: { description: string }[] }>;
  };
  const operations: Operation[] = [{ method: 'GET', path: '/openapi.yaml', services: [...SERVICES], permission: undefined }];
  for (const [path, item] of Object.entries(doc.paths)) {
    // A path without its own `servers` is served by every service (operations, repair API).
    const services = (item.servers?.map((s) => s.description) ?? [...SERVICES]) as ServiceName[];
    for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
      const op = item[method] as { 'x-permission'?: string };
      // Any well-formed value: the guard answers before a parameter is even parsed.
      const filled = path.replace(/\{[^}]+\}/g, () => randomUUID());
      operations.push({ method: method.toUpperCase(), path: filled, services, permission: op['x-permission'] });
    }
  }
  return operations;
}

describe('authentication on every documented operation', () => {
  let stack: Stack;
  const operations = documentedOperations();
  const protectedOps = operations.filter((o) => !OPEN.has(`${o.method} ${o.path}`));

  beforeAll(async () => {
    stack = await new Stack().start();
  }, 180000);

  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  /** Calls each protected operation on each of its services with the given Authorization header (or none). */
  async function callAll(authorization: string | undefined): Promise<{ label: string; status: number; res: Response }[]> {
    const results: { label: string; status: number; res: Response }[] = [];
    for (const op of protectedOps) {
      for (const service of op.services) {
        const res = await stack.fetch(service, op.path, {
          as: null,
          method: op.method,
          headers: { ...(authorization ? { authorization } : {}), ...(op.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
          ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { body: '{}' }),
        });
        results.push({ label: `${service} ${op.method} ${op.path}`, status: res.status, res });
      }
    }
    return results;
  }

  it('finds the operations of every service in the document', () => {
    expect(protectedOps.length).toBeGreaterThan(50);
    for (const service of SERVICES) expect(protectedOps.some((o) => o.services.includes(service))).toBe(true);
    // Every protected operation names its permission.
    expect(protectedOps.filter((o) => !o.permission).map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it('answers 401 with a problem and a Bearer challenge to every operation called without a token', async () => {
    const wrong: string[] = [];
    for (const { label, status, res } of await callAll(undefined)) {
      const body = (await res.json().catch(() => undefined)) as { type?: string; status?: number } | undefined;
      const challenge = res.headers.get('www-authenticate') ?? '';
      if (status !== 401 || !res.headers.get('content-type')?.startsWith('application/problem+json'))
        wrong.push(`${label}: ${status} ${res.headers.get('content-type')}`);
      else if (body?.status !== 401 || !body.type?.endsWith('/unauthenticated')) wrong.push(`${label}: body ${JSON.stringify(body)}`);
      else if (!/^Bearer realm="poststelle"/.test(challenge)) wrong.push(`${label}: WWW-Authenticate ${challenge}`);
    }
    expect(wrong).toEqual([]);
  }, 120000);

  it('asks for the token before reading a body: anonymous junk or a huge upload gets 401, and is not kept', async () => {
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const countRejected = async () =>
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM intake.rejected_inputs')).rows[0]!.n);
    const before = await countRejected();
    const junk = await stack.fetch('intake', '/v1/submissions', {
      as: null,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"applicant": ',
    });
    expect(junk.status).toBe(401);
    const huge = await stack.fetch('intake', '/v1/email', {
      as: null,
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: Buffer.alloc(40 * 1024 * 1024, 0x61),
    });
    expect(huge.status).toBe(401);
    // Neither was recorded as a rejected input: the caller was never known, and its bytes were not read.
    expect(await countRejected()).toBe(before);
    // The same junk from a channel client is read, refused with the reason, and kept.
    const known = await stack.fetch('intake', '/v1/submissions', {
      as: 'channel-demo',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: '{"applicant": ',
    });
    expect(known.status).toBe(400);
    expect(await countRejected()).toBe(before + 1);
    await db.end();
  });

  it('does not reveal which paths exist: an unknown path is 401 without a token, 404 with one', async () => {
    for (const service of SERVICES) {
      expect((await stack.fetch(service, '/v1/admin/secret-backdoor', { as: null })).status).toBe(401);
      expect((await stack.fetch(service, '/v1/admin/secret-backdoor')).status).toBe(404);
    }
  });

  it('keeps /health, /metrics and /openapi.yaml open on every service', async () => {
    for (const service of SERVICES) {
      for (const path of ['/health', '/metrics', '/openapi.yaml']) {
        const res = await stack.fetch(service, path, { as: null });
        expect({ service, path, status: res.status }).toEqual({ service, path, status: 200 });
      }
    }
  });

  it.each([
    ['expired', () => stack.oidc.forge({ exp: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['signed with a key that is not the issuer’s', () => stack.oidc.forge({}, { wrongKey: true }), /not valid/],
    ['for another audience', () => stack.oidc.forge({ aud: 'urn:another:api' }), /"aud"/],
    ['of another issuer', () => stack.oidc.forge({ iss: 'http://127.0.0.1:1/' }), /"iss"/],
    ['that is no JWT at all', () => Promise.resolve('not-a-token'), /not valid/],
  ])(
    'answers 401 invalid_token to every operation called with a token %s',
    async (_what, token, detail) => {
      const bearer = `Bearer ${await token()}`;
      const wrong: string[] = [];
      for (const { label, status, res } of await callAll(bearer)) {
        const body = (await res.json().catch(() => undefined)) as { detail?: string } | undefined;
        if (status !== 401) wrong.push(`${label}: ${status}`);
        else if (!detail.test(body?.detail ?? '')) wrong.push(`${label}: ${body?.detail}`);
        else if (!res.headers.get('www-authenticate')?.includes('error="invalid_token"')) wrong.push(`${label}: no invalid_token`);
      }
      expect(wrong).toEqual([]);
    },
    120000,
  );

  it('answers 403 with the missing permission when a valid token’s roles do not grant it', async () => {
    const fee = await stack.json<{ status: number; type: string; requiredPermission: string }>(
      'payment',
      '/v1/admin/fees/99050012104000/12054',
      {
        as: 'operator-potsdam',
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: '10.00', policy: 'before-processing', bookingText: 'X' }),
      },
    );
    expect(fee.status).toBe(403);
    expect(fee.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(fee.body).toMatchObject({ status: 403, requiredPermission: 'config:write' });
    expect(fee.body.type).toMatch(/\/forbidden$/);
    // A channel may hand in, but not read cases; a caseworker may not repair; an auditor may not submit.
    const caseRead = await stack.json('intake', `/v1/cases/${randomUUID()}`, { as: 'channel-demo' });
    expect(caseRead.status).toBe(403);
    const repair = await stack.json('routing', '/v1/ops/dead-letters', { as: 'operator-potsdam' });
    expect(repair.status).toBe(403);
    const submit = await stack.json('intake', '/v1/submissions', {
      as: 'auditor-demo',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(portalSubmission()),
    });
    expect(submit.status).toBe(403);
  });

  it('lets each role do its part with a token from the provider', async () => {
    const submitted = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      as: 'channel-demo',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(portalSubmission()),
    });
    expect(submitted.status).toBe(202);
    const read = await stack.json('intake', `/v1/cases/${submitted.body.caseId}`, { as: 'operator-potsdam' });
    expect(read.status).toBe(200);
    const procedures = await stack.json('routing', '/v1/admin/procedures', { as: 'admin-potsdam' });
    expect(procedures.status).toBe(200);
    const audit = await stack.json('routing', '/v1/admin/audit-log', { as: 'auditor-demo' });
    expect(audit.status).toBe(200);
    const ops = await stack.json('intake', '/v1/ops/dead-letters', { as: 'platform-admin' });
    expect(ops.status).toBe(200);
  });

  it('signs a person in at the console (authorization code + PKCE) and accepts the token for their role', async () => {
    const clerk = `Bearer ${await stack.oidc.signIn('clerk-potsdam')}`;
    const queue = await stack.json('routing', '/v1/manual-routing', { as: null, headers: { authorization: clerk } });
    expect(queue.status).toBe(200);
    const admin = await stack.json('routing', '/v1/admin/procedures', { as: null, headers: { authorization: clerk } });
    expect(admin.status).toBe(403);
  });
});
