import { randomUUID } from 'node:crypto';
import { Stack, scanIndexXml, textPdf, waitFor } from '@poststelle/testing';

const TENANT = '120540000000';
const BUILDING = '99108012003000';
const ERIKA = { givenName: 'Erika', familyName: 'Mustermann', postalCode: '14467', city: 'Potsdam', email: 'erika@example.org' };

/**
 * Trust from the channel, not from the payload: by default an unsealed scan index's word that a paper was signed by
 * hand does not meet the written form (§ 3a VwVfG); routing holds the case for a procedure that requires it. (With a
 * sealed index from a trusted scan centre it does: scan-seal.e2e-spec.ts.)
 */
describe('paper scan: an unsealed index does not prove a handwritten signature (default)', () => {
  let stack: Stack;
  const call = <T>(
    service: 'intake' | 'routing',
    method: string,
    path: string,
    body?: string | Buffer | object,
    type = 'application/json',
  ) =>
    stack.json<T>(service, path, {
      method,
      headers: { 'content-type': type },
      ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });

  beforeAll(async () => {
    stack = await new Stack({ extraEnv: { SCAN_PROCESS_POLL_MS: '200' } }).start();
    expect(
      (await call('routing', 'PUT', '/v1/admin/procedures/building-potsdam', { tenantArs: TENANT, name: 'Bau', writtenFormRequired: true }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('routing', 'POST', '/v1/admin/routing-rules', {
          leikaKey: BUILDING,
          arsPrefix: '12054',
          procedureId: 'building-potsdam',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('intake', 'PUT', '/v1/admin/scan/classification-rules/building', {
          leikaKey: BUILDING,
          tenantArs: TENANT,
          formIds: ['BAU-01'],
          keywords: ['Bauantrag'],
        })
      ).status,
    ).toBe(200);
  }, 180000);

  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  it('records the signature claim, but the case carries no written form and routing holds it', async () => {
    const content = await textPdf(['Formular BAU-01', 'Bauantrag', 'Bauvorhaben: Carport']);
    const xml = scanIndexXml({
      batchId: `B-${randomUUID()}`,
      tenantArs: TENANT,
      documents: [{ documentId: 'd1', fileName: 'bau.pdf', content, formId: 'BAU-01', applicant: ERIKA, handwrittenSignature: true }],
    });
    const created = await call<{ batchId: string }>('intake', 'POST', '/v1/scan/batches', xml, 'application/xml');
    expect(created.status).toBe(201);
    expect((await call('intake', 'PUT', `/v1/scan/batches/${created.body.batchId}/documents/d1`, content, 'application/pdf')).status).toBe(
      200,
    );
    const caseId = await waitFor(
      'the case',
      async () => {
        const r = await call<{ status: string; documents: { caseId?: string }[] }>(
          'intake',
          'GET',
          `/v1/scan/batches/${created.body.batchId}`,
        );
        return r.body.status === 'processed' && r.body.documents[0]!.caseId;
      },
      90000,
    );
    const view = await call<{
      case: { writtenForm: { means: string; satisfied: boolean; detail: string }; channel: { scan: Record<string, unknown> } };
    }>('intake', 'GET', `/v1/cases/${caseId}`);
    expect(view.body.case.channel.scan).toMatchObject({ handwrittenSignature: true, indexSealed: false });
    expect(view.body.case.writtenForm).toMatchObject({ means: 'none', satisfied: false });
    expect(view.body.case.writtenForm.detail).toMatch(/not sealed by a trusted scan centre/);
    const decision = await waitFor('the routing decision', async () => {
      const r = await call<{ outcome: string }>('routing', 'GET', `/v1/cases/${caseId}/routing`);
      return r.status === 200 && r.body;
    });
    expect(decision.outcome).toBe('action-required');
  }, 120000);
});
