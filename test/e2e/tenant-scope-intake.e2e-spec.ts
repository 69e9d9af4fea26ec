import { randomUUID } from 'node:crypto';
import { caseReferenceOf } from '@poststelle/contracts';
import { Stack, portalSubmission, scanIndexXml, textPdf, waitFor, type DemoClient } from '@poststelle/testing';

const POTSDAM = '120540000000';
const OTHER = '010010000000';
const PARKING = '99050012104000';
const MAILBOX = 'antrag@potsdam.example';
const ERIKA = { givenName: 'Erika', familyName: 'Mustermann', postalCode: '14467', city: 'Potsdam', email: 'erika@example.org' };

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

/**
 * Issue 12, intake (ADR 0016): every read is scoped to the caller's tenants (another tenant's object answers 404
 * exactly like one that does not exist, lists leave it out, its queue items cannot be resolved), and trust comes from
 * the channel client's registration, not from what the payload says.
 */
describe('intake: tenant scope and trust from the channel', () => {
  let stack: Stack;
  const call = <T>(as: DemoClient, method: string, path: string, body?: string | Buffer | object, type = 'application/json') =>
    stack.json<T>('intake', path, {
      as,
      method,
      headers: { 'content-type': type },
      ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
  /** A batch index sealed by the stack's scan centre (intake refuses unsealed indexes by default). */
  const postIndex = async <T>(as: DemoClient, xml: string) =>
    stack.json<T>('intake', '/v1/scan/batches', {
      as,
      method: 'POST',
      headers: { 'content-type': 'application/xml', ...(await stack.sealHeader(xml)) },
      body: xml,
    });
  const submit = (as: DemoClient, body: object) =>
    call<{ caseId: string; submissionId: string } & Problem>(as, 'POST', '/v1/submissions', body);
  const routingOutcome = (caseId: string) =>
    waitFor('the routing decision', async () => {
      const r = await stack.json<{ outcome: string }>('routing', `/v1/cases/${caseId}/routing`);
      return r.status === 200 && r.body.outcome;
    });

  /** Objects of tenant Potsdam: two portal cases, a scan batch with a queued document, an inbound email. */
  const potsdam = {
    trustedCase: '',
    trustedSubmission: '',
    untrustedCase: '',
    untrustedSubmission: '',
    batchId: '',
    itemId: '',
    inboundId: '',
    rawSha512: '',
  };

  beforeAll(async () => {
    stack = await new Stack({ extraEnv: { SCAN_PROCESS_POLL_MS: '200' } }).start();
    // A procedure that requires the written form: an eID claim that is not believed leaves the case held.
    const procedure = await stack.json('routing', '/v1/admin/procedures/parking-potsdam', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-actor': 'test-admin' },
      body: JSON.stringify({ tenantArs: POTSDAM, name: 'Parken', writtenFormRequired: true }),
    });
    expect(procedure.status).toBe(200);
    const rule = await stack.json('routing', '/v1/admin/routing-rules', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-actor': 'test-admin' },
      body: JSON.stringify({ leikaKey: PARKING, arsPrefix: '12054', procedureId: 'parking-potsdam' }),
    });
    expect(rule.status).toBe(201);

    const trusted = await submit('channel-demo', portalSubmission());
    const untrusted = await submit('channel-untrusted', portalSubmission());
    expect([trusted.status, untrusted.status]).toEqual([202, 202]);
    Object.assign(potsdam, {
      trustedCase: trusted.body.caseId,
      trustedSubmission: trusted.body.submissionId,
      untrustedCase: untrusted.body.caseId,
      untrustedSubmission: untrusted.body.submissionId,
    });

    // A scan batch for Potsdam whose document no rule classifies: it waits in the classification queue.
    const content = await textPdf(['Schreiben ohne Formular', 'Bitte um Rueckruf']);
    const batch = await postIndex<{ batchId: string }>(
      'scan-centre',
      scanIndexXml({
        batchId: `B-${randomUUID()}`,
        tenantArs: POTSDAM,
        documents: [{ documentId: 'd1', fileName: 'brief.pdf', content, applicant: ERIKA }],
      }),
    );
    expect(batch.status).toBe(201);
    potsdam.batchId = batch.body.batchId;
    expect((await call('scan-centre', 'PUT', `/v1/scan/batches/${potsdam.batchId}/documents/d1`, content, 'application/pdf')).status).toBe(
      200,
    );
    potsdam.itemId = await waitFor(
      'the queued document',
      async () => {
        const q = await call<{ items: { itemId: string; batchId: string }[] }>('platform-admin', 'GET', '/v1/scan/classification-queue');
        return q.body.items.find((i) => i.batchId === potsdam.batchId)?.itemId;
      },
      60000,
    );

    // Potsdam's own administrator registers its mailbox; a mail gateway hands in a message to it.
    expect((await call('admin-potsdam', 'PUT', `/v1/admin/mailboxes/${MAILBOX}`, { tenantArs: POTSDAM, leikaKey: PARKING })).status).toBe(
      200,
    );
    const raw = [
      'From: Erika Mustermann <erika@example.org>',
      `To: ${MAILBOX}`,
      'Subject: Bewohnerparkausweis',
      `Message-ID: <${randomUUID()}@example.org>`,
      'Date: Sun, 06 Dec 2026 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Ich beantrage einen Bewohnerparkausweis.',
      '',
    ].join('\r\n');
    const mail = await call<{ inboundId: string; rawMessageSha512: string }>(
      'channel-demo',
      'POST',
      `/v1/email?mailFrom=erika@example.org&rcptTo=${MAILBOX}`,
      raw,
      'message/rfc822',
    );
    expect(mail.status).toBe(202);
    potsdam.inboundId = mail.body.inboundId;
    potsdam.rawSha512 = mail.body.rawMessageSha512;
  }, 180000);

  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  it('answers another tenant 404 exactly like an id that does not exist, and the own tenant 200', async () => {
    const reads = () => [
      `/v1/cases/${potsdam.trustedCase}`,
      `/v1/submissions/${potsdam.trustedSubmission}`,
      `/v1/scan/batches/${potsdam.batchId}`,
      `/v1/scan/batches/${potsdam.batchId}/documents/d1/original`,
      `/v1/email/messages/${potsdam.inboundId}`,
      `/v1/email/raw/${potsdam.rawSha512}`,
    ];
    for (const path of reads()) {
      const own = await stack.fetch('intake', path, { as: 'operator-potsdam' });
      expect([path, own.status]).toEqual([path, 200]);
      await own.arrayBuffer();
      const foreign = await call<Problem>('operator-other', 'GET', path);
      const missing = await call<Problem>(
        'operator-other',
        'GET',
        path.replace(/[0-9a-f-]{36}|[0-9a-f]{128}/, (id) => (id.length === 36 ? randomUUID() : 'f'.repeat(128))),
      );
      expect([path, foreign.status, foreign.body.title]).toEqual([path, 404, missing.body.title]);
      expect(foreign.body.detail?.replace(/[0-9a-f-]{36}/g, '<id>')).toBe(missing.body.detail?.replace(/[0-9a-f-]{36}/g, '<id>'));
    }
  });

  it('finds a case by its reference for its own tenant only (GET /v1/cases) and counts the queues per tenant', async () => {
    const reference = caseReferenceOf(potsdam.trustedCase);
    type Found = {
      items: { caseId: string; reference: string; tenant: string; channel: string; status: string }[];
      nextCursor: string | null;
    };
    const own = await call<Found>('operator-potsdam', 'GET', `/v1/cases?reference=${reference}`);
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([
      expect.objectContaining({ caseId: potsdam.trustedCase, reference, tenant: POTSDAM, channel: 'portal' }),
    ]);
    expect(own.body.nextCursor).toBeNull();
    // Another tenant's caseworker finds nothing, even naming Potsdam; a channel client may not search at all.
    expect((await call<Found>('operator-other', 'GET', `/v1/cases?reference=${reference}&tenant=${POTSDAM}`)).body.items).toEqual([]);
    expect((await call<Problem>('channel-demo', 'GET', `/v1/cases?reference=${reference}`)).status).toBe(403);
    const bad = await call<Problem & { errors: { field: string }[] }>('operator-potsdam', 'GET', '/v1/cases?status=lost&limit=1000');
    expect([bad.status, bad.body.title, bad.body.errors.map((e) => e.field).sort()]).toEqual([400, 'INVALID_QUERY', ['limit', 'status']]);
    // Newest first, one page at a time: Potsdam's two portal cases over two pages.
    const first = await call<Found>('operator-potsdam', 'GET', '/v1/cases?channel=portal&limit=1');
    const second = await call<Found>('operator-potsdam', 'GET', `/v1/cases?channel=portal&limit=1&cursor=${first.body.nextCursor}`);
    expect(new Set([...first.body.items, ...second.body.items].map((i) => i.caseId))).toEqual(
      new Set([potsdam.trustedCase, potsdam.untrustedCase]),
    );

    type Summary = { queues: { name: string; count: number; oldestAt: string | null }[] };
    const queue = async (as: DemoClient, name: string) =>
      (await call<Summary>(as, 'GET', '/v1/queues/summary')).body.queues.find((q) => q.name === name);
    expect(await queue('operator-potsdam', 'scan-classification')).toMatchObject({ count: 1, oldestAt: expect.any(String) as string });
    expect(await queue('operator-other', 'scan-classification')).toEqual({ name: 'scan-classification', count: 0, oldestAt: null });
    expect((await call<Problem>('channel-demo', 'GET', '/v1/queues/summary')).status).toBe(403);
    // /health reports lag, outbox backlog and dead letters as numbers.
    const health = await stack.json<{ consumerLag: { total: number | null }; outbox: { backlog: number }; deadLetters: { open: number } }>(
      'intake',
      '/health',
    );
    expect(health.body).toMatchObject({ outbox: { backlog: expect.any(Number) as number }, deadLetters: { open: 0 } });
    expect('total' in health.body.consumerLag).toBe(true);
  });

  it('lists only the caller’s tenants’ queue items and lets nobody else resolve them', async () => {
    const listOf = async (as: DemoClient) =>
      (await call<{ items: { itemId: string }[] }>(as, 'GET', '/v1/scan/classification-queue?status=all')).body.items.map((i) => i.itemId);
    expect(await listOf('operator-other')).not.toContain(potsdam.itemId);
    expect(await listOf('operator-potsdam')).toContain(potsdam.itemId);

    const byOther = await call<Problem>('operator-other', 'POST', `/v1/scan/classification-queue/${potsdam.itemId}/resolve`, {
      tenantArs: OTHER,
      leikaKey: PARKING,
    });
    expect([byOther.status, byOther.body.title]).toEqual([404, 'SCAN_QUEUE_ITEM_NOT_FOUND']);
    // Potsdam's clerk cannot hand the document to another authority's tenant either …
    const elsewhere = await call<Problem>('operator-potsdam', 'POST', `/v1/scan/classification-queue/${potsdam.itemId}/resolve`, {
      tenantArs: OTHER,
      leikaKey: PARKING,
    });
    expect([elsewhere.status, elsewhere.body.title]).toEqual([403, 'TENANT_NOT_ALLOWED']);
    // … but decides it for Potsdam, recorded under the token's subject.
    const resolved = await call<{ caseId: string }>('operator-potsdam', 'POST', `/v1/scan/classification-queue/${potsdam.itemId}/resolve`, {
      tenantArs: POTSDAM,
      leikaKey: PARKING,
    });
    expect(resolved.status).toBe(201);
    const done = await call<{ items: { itemId: string; resolvedBy: string }[] }>(
      'operator-potsdam',
      'GET',
      '/v1/scan/classification-queue?status=resolved',
    );
    expect(done.body.items.find((i) => i.itemId === potsdam.itemId)?.resolvedBy).toBe('operator-potsdam');
    expect((await call('operator-other', 'GET', `/v1/cases/${resolved.body.caseId}`)).status).toBe(404);
  });

  it('lets a channel client read back what it handed in, and nothing another client handed in', async () => {
    expect((await call('channel-untrusted', 'GET', `/v1/submissions/${potsdam.untrustedSubmission}`)).status).toBe(200);
    expect((await call('channel-untrusted', 'GET', `/v1/submissions/${potsdam.trustedSubmission}`)).status).toBe(404);
    expect((await call('scan-centre', 'GET', `/v1/scan/batches/${potsdam.batchId}`)).status).toBe(200);
    expect((await call('channel-untrusted', 'GET', `/v1/scan/batches/${potsdam.batchId}`)).status).toBe(404);
  });

  it('refuses configuration changes to a caseworker (403) and another tenant’s mailbox to a tenant-admin', async () => {
    const put = await call<Problem>('operator-potsdam', 'PUT', '/v1/admin/mailboxes/neu@potsdam.example', { tenantArs: POTSDAM });
    expect([put.status, put.body.title]).toEqual([403, 'FORBIDDEN']);
    const rule = await call<Problem>('operator-potsdam', 'PUT', '/v1/admin/scan/classification-rules/r1', {
      leikaKey: PARKING,
      keywords: ['Parken'],
    });
    expect(rule.status).toBe(403);
    const foreign = await call<Problem>('admin-potsdam', 'PUT', '/v1/admin/mailboxes/post@flensburg.example', { tenantArs: OTHER });
    expect([foreign.status, foreign.body.title]).toEqual([403, 'TENANT_NOT_ALLOWED']);
    const foreignRule = await call<Problem>('admin-potsdam', 'PUT', '/v1/admin/scan/classification-rules/flensburg-parken', {
      leikaKey: PARKING,
      tenantArs: OTHER,
      keywords: ['Parken'],
    });
    expect([foreignRule.status, foreignRule.body.title]).toEqual([403, 'TENANT_NOT_ALLOWED']);
    expect(
      (
        await call('admin-potsdam', 'PUT', '/v1/admin/scan/classification-rules/potsdam-parken', {
          leikaKey: PARKING,
          tenantArs: POTSDAM,
          keywords: ['Parken'],
        })
      ).status,
    ).toBe(200);
  });

  it('believes eID and level of assurance only from a client allowed to assert them', async () => {
    const trusted = await call<{ case: { levelOfAssurance: string; writtenForm: { satisfied: boolean } } }>(
      'operator-potsdam',
      'GET',
      `/v1/cases/${potsdam.trustedCase}`,
    );
    expect(trusted.body.case).toMatchObject({ levelOfAssurance: 'high', writtenForm: { satisfied: true, means: 'eid-authority-form' } });
    const untrusted = await call<{ case: { levelOfAssurance: string; writtenForm: { satisfied: boolean; detail: string } } }>(
      'operator-potsdam',
      'GET',
      `/v1/cases/${potsdam.untrustedCase}`,
    );
    expect(untrusted.body.case).toMatchObject({ levelOfAssurance: 'none', writtenForm: { satisfied: false, means: 'none' } });
    expect(untrusted.body.case.writtenForm.detail).toMatch(/not allowed to assert/);
    expect(await routingOutcome(potsdam.trustedCase)).toBe('routed');
    expect(await routingOutcome(potsdam.untrustedCase)).toBe('action-required');
  }, 60000);

  it('takes submissions only on the channels a client is registered for (403 otherwise)', async () => {
    const xml = scanIndexXml({
      batchId: `B-${randomUUID()}`,
      tenantArs: POTSDAM,
      documents: [{ documentId: 'd1', fileName: 'x.pdf', content: Buffer.from('%PDF-1.4') }],
    });
    // Sealed by the trusted scan centre, yet refused: the client is not registered for the paper channel.
    const batch = await postIndex<Problem>('channel-untrusted', xml);
    expect([batch.status, batch.body.title]).toEqual([403, 'CHANNEL_NOT_ALLOWED']);
    const paperAsJson = await submit(
      'channel-untrusted',
      portalSubmission({
        channel: {
          kind: 'scan',
          scan: {
            batchId: 'B-1',
            scanCentre: 'Eigenbau',
            scannedAt: '2026-12-01T08:00:00Z',
            operator: 'x',
            scannerProfile: 'p',
            resolutionDpi: 300,
            transferNote: 'n',
            indexSha512: 'b'.repeat(128),
            handwrittenSignature: true,
            indexSealed: true,
            indexSealValid: true,
            indexSealTrusted: true,
          },
        },
      }),
    );
    expect([paperAsJson.status, paperAsJson.body.title]).toEqual([403, 'CHANNEL_NOT_ALLOWED']);
    const portalFromScanCentre = await submit('scan-centre', portalSubmission());
    expect([portalFromScanCentre.status, portalFromScanCentre.body.title]).toEqual([403, 'CHANNEL_NOT_ALLOWED']);
  });
});
