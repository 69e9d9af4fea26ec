import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, scanCentrePki, scanIndexXml, sealIndex, textPdf, waitFor, type ScanCentrePki } from '@poststelle/testing';

const TENANT = '120540000000';
const BUILDING = '99108012003000';
const ERIKA = { givenName: 'Erika', familyName: 'Mustermann', postalCode: '14467', city: 'Potsdam', email: 'erika@example.org' };

interface BatchView {
  batchId: string;
  status: string;
  indexSeal?: Record<string, unknown>;
  documents: { documentId: string; status: string; caseId?: string }[];
}
interface Problem {
  title: string;
  detail: string;
  batchId?: string;
}

/** The scan centre's seal over the batch index (TR-RESISCAN), with SCAN_REQUIRE_SEALED_INDEX on. */
describe('paper-scan channel: sealed batch indexes', () => {
  let stack: Stack;
  let work: string;
  let dropDir: string;
  let centre: ScanCentrePki;
  let stranger: ScanCentrePki;

  const intake = <T>(method: string, path: string, body?: Buffer | string | object, headers: Record<string, string> = {}) =>
    stack.json<T>('intake', path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
  const postIndex = (xml: string, seal?: Buffer) =>
    intake<BatchView & Problem>('POST', '/v1/scan/batches', xml, {
      'content-type': 'application/xml',
      ...(seal ? { 'scan-index-signature': seal.toString('base64') } : {}),
    });
  const processed = (batchId: string) =>
    waitFor(
      `batch ${batchId} processed`,
      async () => {
        const r = await intake<BatchView>('GET', `/v1/scan/batches/${batchId}`);
        return r.status === 200 && r.body.status === 'processed' && r.body;
      },
      90000,
    );
  const batchOf = async (batchId: string) => {
    const content = await textPdf(['Formular BAU-01', 'Bauantrag', 'Erika Mustermann']);
    const xml = scanIndexXml({
      batchId,
      tenantArs: TENANT,
      documents: [{ documentId: 'd1', fileName: 'bau.pdf', content, formId: 'BAU-01', applicant: ERIKA, handwrittenSignature: true }],
    });
    return { content, xml };
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ps-scan-seal-'));
    dropDir = join(work, 'drop');
    for (const d of ['drop', 'centre', 'stranger', 'trust']) await mkdir(join(work, d));
    centre = await scanCentrePki(join(work, 'centre'));
    stranger = await scanCentrePki(join(work, 'stranger'), 'Unbekanntes Scanzentrum');
    await copyFile(centre.caPath, join(work, 'trust', 'scanzentrum-ca.pem'));
    stack = await new Stack({
      extraEnv: {
        SCAN_REQUIRE_SEALED_INDEX: 'true',
        SCAN_CENTRE_TRUST_DIR: join(work, 'trust'),
        SCAN_DROP_DIR: dropDir,
        SCAN_DROP_POLL_MS: '300',
        SCAN_PROCESS_POLL_MS: '200',
      },
    }).start();
    const rule = await intake('PUT', '/v1/admin/scan/classification-rules/building', {
      leikaKey: BUILDING,
      tenantArs: TENANT,
      formIds: ['BAU-01'],
      keywords: ['Bauantrag'],
    });
    expect(rule.status).toBe(200);
  }, 180000);

  afterAll(async () => {
    await stack?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60000);

  it('a sealed batch over HTTP becomes a case whose scan evidence shows the seal valid and trusted, with the scan centre as signer', async () => {
    const { content, xml } = await batchOf(`B-${randomUUID()}`);
    const created = await postIndex(xml, await sealIndex(xml, centre));
    expect(created.status).toBe(201);
    expect(created.body.indexSeal).toMatchObject({ sealed: true, valid: true, trusted: true });
    const up = await intake('PUT', `/v1/scan/batches/${created.body.batchId}/documents/d1`, content, { 'content-type': 'application/pdf' });
    expect(up.status).toBe(200);
    const batch = await processed(created.body.batchId);
    expect(batch.documents[0]).toMatchObject({ status: 'case' });
    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${batch.documents[0]!.caseId}`);
    expect(view.body.case['channel']).toMatchObject({
      kind: 'scan',
      scan: {
        classifiedBy: 'form-id',
        indexSealed: true,
        indexSealValid: true,
        indexSealTrusted: true,
        indexSealSigner: {
          subject: expect.stringContaining('CN=Scanzentrum Test Siegel') as unknown,
          issuer: expect.stringContaining('CN=Scanzentrum Test CA') as unknown,
          serialNumber: expect.any(String) as unknown,
        },
      },
    });
    // Sealed by a trusted scan centre, the handwritten signature the index reports proves the written form.
    expect(view.body.case['writtenForm']).toMatchObject({ means: 'handwritten-signature', satisfied: true });
  }, 120000);

  it('refuses a tampered, an unsealed and a foreign-sealed index with specific codes; the same index sealed is then taken', async () => {
    const { xml } = await batchOf(`B-${randomUUID()}`);
    const seal = await sealIndex(xml, centre);
    const tampered = xml.replace(/<sha512>[0-9a-f]/, '<sha512>0');
    const results = [];
    for (const [name, body, s] of [
      ['tampered', tampered, seal],
      ['unsealed', xml, undefined],
      ['foreign', xml, await sealIndex(xml, stranger)],
    ] as const) {
      const r = await postIndex(body, s);
      results.push([name, r.status, r.body.title]);
    }
    expect(results).toEqual([
      ['tampered', 422, 'SCAN_INDEX_SEAL_INVALID'],
      ['unsealed', 422, 'SCAN_INDEX_SEAL_MISSING'],
      ['foreign', 422, 'SCAN_INDEX_SEAL_UNTRUSTED'],
    ]);
    const garbage = await postIndex(xml, Buffer.from('kein Siegel'));
    expect([garbage.status, garbage.body.title]).toEqual([422, 'SCAN_INDEX_SEAL_INVALID']);
    // A refusal for the seal keeps the batch (rejected) but does not take its index: delivered sealed, it is accepted.
    const sealed = await postIndex(xml, seal);
    expect(sealed.status).toBe(201);
    expect((await intake('GET', '/health')).status).toBe(200);
  }, 60000);

  it('drop folder: index.xml.p7s seals the batch; a tampered index goes to rejected/ with SCAN_INDEX_SEAL_INVALID', async () => {
    const drop = async (name: string, files: Record<string, Buffer | string>) => {
      const staging = join(dropDir, `.${name}`);
      await mkdir(staging);
      for (const [f, c] of Object.entries(files)) if (f !== 'index.xml') await writeFile(join(staging, f), c);
      await writeFile(join(staging, 'index.xml'), files['index.xml']!);
      await rename(staging, join(dropDir, name));
    };
    const ok = await batchOf('DROP-SEALED');
    await drop('sealed', { 'index.xml': ok.xml, 'index.xml.p7s': await sealIndex(ok.xml, centre), 'bau.pdf': ok.content });
    const bad = await batchOf('DROP-TAMPERED');
    await drop('tampered', {
      'index.xml': bad.xml.replace('DROP-TAMPERED', 'DROP-TAMPERED-2'),
      'index.xml.p7s': await sealIndex(bad.xml, centre),
      'bau.pdf': bad.content,
    });
    await waitFor(
      'drop folder drained',
      async () => (await readdir(dropDir)).filter((f) => !f.startsWith('.') && !['processed', 'rejected'].includes(f)).length === 0,
      60000,
    );
    expect(await readdir(join(dropDir, 'processed'))).toEqual(['sealed']);
    expect(await readdir(join(dropDir, 'rejected'))).toEqual(['tampered']);
    expect(await readFile(join(dropDir, 'rejected', 'tampered', 'REJECTED.txt'), 'utf8')).toMatch(/^SCAN_INDEX_SEAL_INVALID\n/);
  }, 120000);
});
