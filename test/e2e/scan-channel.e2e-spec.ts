import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KafkaProbe,
  Stack,
  coverSheetPdf,
  pdfToText,
  portalSubmission,
  scanIndexXml,
  scannedPage,
  testKafka,
  textPdf,
  waitFor,
  type ScanIndexDocument,
} from '@poststelle/testing';

const TENANT = '120540000000';
const PARKING = '99050012104000';
const BUILDING = '99108012003000';
const PARKING_TEXT = ['Antrag auf Bewohnerparkausweis', 'Kennzeichen P-AB 123', 'Erika Mustermann, 14467 Potsdam'];
const ERIKA = { givenName: 'Erika', familyName: 'Mustermann', postalCode: '14467', city: 'Potsdam', email: 'erika@example.org' };
/** A paper applicant who gives no e-mail address, only a postal address: gets letters. */
const HANS = { givenName: 'Hans', familyName: 'Papier', street: 'Am Kanal', houseNumber: '12', postalCode: '14467', city: 'Potsdam' };

interface BatchView {
  batchId: string;
  status: string;
  reasonCode?: string;
  documents: { documentId: string; status: string; caseId?: string; reasonCode?: string; reason?: string; pdfaSha512?: string }[];
}
interface Problem {
  title: string;
  detail: string;
  errors?: { field: string }[];
}

describe('paper-scan channel: HTTP batches, OCR, classification queue, follow-ups, drop folder', () => {
  let stack: Stack;
  let dropDir: string;
  let probe: KafkaProbe;

  const intake = <T>(method: string, path: string, body?: Buffer | string | object, contentType = 'application/json') =>
    stack.json<T>('intake', path, {
      method,
      headers: { 'content-type': contentType },
      ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
  const postIndex = (xml: string) => intake<BatchView & Problem>('POST', '/v1/scan/batches', xml, 'application/xml');
  const upload = (batchId: string, documentId: string, bytes: Buffer) =>
    intake<Problem & { batchStatus: string }>('PUT', `/v1/scan/batches/${batchId}/documents/${documentId}`, bytes, 'application/pdf');
  const processed = (batchId: string) =>
    waitFor(
      `batch ${batchId} processed`,
      async () => {
        const r = await intake<BatchView>('GET', `/v1/scan/batches/${batchId}`);
        return r.body.status === 'processed' && r.body;
      },
      90000,
    );
  /** Announces a batch, uploads every document and waits for the processor. */
  const scanBatch = async (documents: ScanIndexDocument[], tenantArs: string | null = TENANT): Promise<BatchView> => {
    const created = await postIndex(scanIndexXml({ batchId: `B-${randomUUID()}`, ...(tenantArs ? { tenantArs } : {}), documents }));
    expect(created.status).toBe(201);
    for (const d of documents) expect((await upload(created.body.batchId, d.documentId, d.content)).status).toBe(200);
    return processed(created.body.batchId);
  };
  const routing = (caseId: string) =>
    waitFor(
      `routing decision for ${caseId}`,
      async () => {
        const r = await stack.json<{ outcome: string; procedureId: string; explanation: string }>('routing', `/v1/cases/${caseId}/routing`);
        return r.status === 200 && r.body;
      },
      30000,
    );

  beforeAll(async () => {
    dropDir = await mkdtemp(join(tmpdir(), 'ps-scan-drop-'));
    stack = await new Stack({
      extraEnv: {
        // This file follows an authority whose scan centre delivers unsealed indexes and that counts their handwritten
        // signatures (opt-in); the default, where only a sealed index proves one, is in scan-written-form and scan-seal.
        SCAN_UNSEALED_SIGNATURES_SATISFY_WRITTEN_FORM: 'true',
        SCAN_DROP_DIR: dropDir,
        SCAN_DROP_POLL_MS: '300',
        SCAN_PROCESS_POLL_MS: '200',
        SCAN_MAX_DOCUMENTS: '5',
        SCAN_DOCUMENT_MAX_BYTES: String(2 * 1024 * 1024),
      },
    }).start();
    probe = await new KafkaProbe().start([
      stack.topic('intake.scan.classification.v1'),
      stack.topic('cases.evidence.v1'),
      stack.topic('notifications.postal.v1'),
    ]);
    const admin = (service: 'routing' | 'intake', method: string, path: string, body: object) =>
      stack.json(service, path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const [id, extra] of [
      ['parking-potsdam', {}],
      ['building-potsdam', { writtenFormRequired: true }],
    ] as const) {
      expect((await admin('routing', 'PUT', `/v1/admin/procedures/${id}`, { tenantArs: TENANT, name: id, ...extra })).status).toBe(200);
    }
    for (const [ruleId, leikaKey, procedureId] of [
      ['parking', PARKING, 'parking-potsdam'],
      ['building', BUILDING, 'building-potsdam'],
    ]) {
      expect(
        (await admin('routing', 'POST', '/v1/admin/routing-rules', { ruleId, leikaKey, arsPrefix: '12054', procedureId })).status,
      ).toBe(201);
    }
    expect(
      (
        await admin('intake', 'PUT', '/v1/admin/scan/classification-rules/parking', {
          leikaKey: PARKING,
          keywords: ['Bewohnerparkausweis', 'Kennzeichen', 'Parkausweis'],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin('intake', 'PUT', '/v1/admin/scan/classification-rules/building', {
          leikaKey: BUILDING,
          tenantArs: TENANT,
          formIds: ['BAU-01'],
          keywords: ['Bauantrag', 'Baugenehmigung', 'Grundstück', 'Bauvorhaben'],
        })
      ).status,
    ).toBe(200);
  }, 180000);

  afterAll(async () => {
    if (process.env['SCAN_E2E_LOGS']) await writeFile(process.env['SCAN_E2E_LOGS'], stack.logs());
    await probe?.stop();
    await stack?.stop();
    if (dropDir) await rm(dropDir, { recursive: true, force: true });
  }, 60000);

  it('OCRs a scanned PDF without text layer into a searchable PDF/A and classifies it to its service by its text', async () => {
    const content = await scannedPage(PARKING_TEXT);
    expect((await pdfToText(content)).trim()).toBe('');
    const batch = await scanBatch([{ documentId: 'd1', fileName: 'antrag.pdf', content, applicant: ERIKA }]);
    const [doc] = batch.documents;
    expect(doc).toMatchObject({ status: 'case', pdfaSha512: expect.stringMatching(/^[a-f0-9]{128}$/) as unknown });

    const pdfa = Buffer.from(await (await stack.fetch('intake', `/v1/scan/batches/${batch.batchId}/documents/d1/pdfa`)).arrayBuffer());
    expect(pdfa.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfa.toString('latin1')).toMatch(/pdfaid:part="2"|<pdfaid:part>2<\/pdfaid:part>/);
    expect(await pdfToText(pdfa)).toMatch(/Bewohnerparkausweis/);

    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${doc!.caseId}`);
    expect(view.body.case).toMatchObject({
      tenant: { ars: TENANT },
      service: { leikaKey: PARKING },
      channel: {
        kind: 'scan',
        scan: {
          batchId: expect.stringMatching(/^B-/) as unknown,
          textSource: 'ocr',
          classifiedBy: 'text',
          pageCount: 1,
          documentSha512: expect.any(String) as unknown,
        },
      },
      applicant: { givenName: 'Erika', familyName: 'Mustermann' },
      replyChannel: { eMail: { address: 'erika@example.org' } },
      writtenForm: { satisfied: false },
    });
    expect((view.body.case['attachments'] as { fileName: string; purpose: string }[]).map((a) => [a.fileName, a.purpose])).toEqual([
      ['antrag.pdfa.pdf', 'form'],
      ['antrag.pdf', 'attachment'],
    ]);
    expect((await routing(doc!.caseId!)).outcome).toBe('routed');
  }, 120000);

  it('a paper applicant with only a postal address becomes a case; each status the back office reports orders one letter', async () => {
    const content = await textPdf(PARKING_TEXT);
    const batch = await scanBatch([
      { documentId: 'd1', fileName: 'antrag.pdf', content, applicant: HANS },
      { documentId: 'd2', fileName: 'ohne.pdf', content, applicant: { givenName: 'Nora', familyName: 'Nirgends', city: 'Potsdam' } },
    ]);
    const [withAddress, without] = batch.documents;
    expect(withAddress).toMatchObject({ status: 'case' });
    expect(without).toMatchObject({
      status: 'rejected',
      reasonCode: 'SCAN_NO_REPLY_CHANNEL',
      reason: expect.stringMatching(/^neither e-mail nor postal address/) as unknown,
    });
    const caseId = withAddress!.caseId!;
    const address = { street: 'Am Kanal', houseNumber: '12', postalCode: '14467', city: 'Potsdam' };
    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${caseId}`);
    expect(view.body.case['replyChannel']).toEqual({ postal: { name: 'Hans Papier', address } });
    const { procedureId, outcome } = await routing(caseId);
    expect(outcome).toBe('routed');

    // The back office reports on its procedure status topic; the same status message delivered twice orders one letter.
    const report = (status: string, message?: string) => ({
      id: randomUUID(),
      type: 'case.status-changed',
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: caseId,
      tenant: TENANT,
      payload: {
        caseId,
        procedureId,
        status,
        ...(message ? { message } : {}),
        reportedBy: `procedure:${procedureId}`,
        reportedAt: new Date().toISOString(),
      },
    });
    const processing = report('PROCESSING', 'Wir prüfen Ihren Antrag.');
    const producer = testKafka().producer();
    await producer.connect();
    for (const envelope of [processing, processing, report('COMPLETED')]) {
      await producer.send({
        topic: stack.topic(`procedure.${procedureId}.status.v1`),
        messages: [{ key: caseId, value: JSON.stringify(envelope) }],
      });
    }
    await producer.disconnect();

    const letters = await probe.waitForCount((m) => m.topic === stack.topic('notifications.postal.v1') && m.key === caseId, 2, 60000);
    const payloads = letters.map((m) => {
      const envelope = JSON.parse(m.value!) as { type: string; causationId: string; payload: Record<string, unknown> };
      expect(envelope.type).toBe('notification.postal-letter');
      return { causationId: envelope.causationId, ...envelope.payload };
    });
    expect(payloads).toEqual([
      expect.objectContaining({
        causationId: processing.id,
        caseId,
        status: 'PROCESSING',
        subject: expect.any(String) as unknown,
        body: expect.stringContaining('Wir prüfen Ihren Antrag.') as unknown,
        recipient: { name: 'Hans Papier', address },
      }),
      expect.objectContaining({ caseId, status: 'COMPLETED', recipient: { name: 'Hans Papier', address } }),
    ]);
    const notifications = await stack.json<{ channel: string; state: string }[]>('routing', `/v1/cases/${caseId}/notifications`);
    expect(notifications.body.map((n) => [n.channel, n.state])).toEqual([
      ['postal', 'handed-over'],
      ['postal', 'handed-over'],
    ]);
    expect(probe.on(stack.topic('notifications.postal.v1')).filter((m) => m.key === caseId)).toHaveLength(2);
  }, 120000);

  it('reads the text layer of a PDF that has one (no OCR) and classifies by form id', async () => {
    const content = await textPdf(['Formular BAU-01', 'Antrag', 'Max Muster']);
    const batch = await scanBatch([
      { documentId: 'd1', fileName: 'bau.pdf', content, formId: 'BAU-01', applicant: { ...ERIKA, givenName: 'Max' } },
    ]);
    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${batch.documents[0]!.caseId}`);
    expect(view.body.case['service']).toMatchObject({ leikaKey: BUILDING });
    expect(view.body.case['channel']).toMatchObject({ scan: { textSource: 'text-layer', classifiedBy: 'form-id' } });
    // Seals are not required in this stack: the unsealed index is taken, and recorded as unsealed.
    expect(view.body.case['channel']).toMatchObject({ scan: { indexSealed: false, indexSealValid: false, indexSealTrusted: false } });
  }, 120000);

  it('classifies by a cover-sheet QR code read from the scanned page (zbarimg): service and tenant from the code', async () => {
    const content = await coverSheetPdf(`POSTSTELLE:1;leika=${BUILDING};ars=${TENANT}`);
    const batch = await scanBatch([{ documentId: 'd1', fileName: 'deckblatt.pdf', content, applicant: ERIKA }], null);
    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${batch.documents[0]!.caseId}`);
    expect(view.body.case).toMatchObject({
      tenant: { ars: TENANT },
      service: { leikaKey: BUILDING },
      channel: { scan: { classifiedBy: 'barcode', barcode: `POSTSTELLE:1;leika=${BUILDING};ars=${TENANT}` } },
    });
  }, 120000);

  it('queues a scan below the confidence threshold for manual classification; resolving it produces the case', async () => {
    const content = await scannedPage(['Sehr geehrte Damen und Herren,', 'anbei sende ich Ihnen meinen Parkausweis.']);
    const batch = await scanBatch([{ documentId: 'd1', fileName: 'brief.pdf', content, applicant: ERIKA }]);
    const [doc] = batch.documents;
    expect(doc).toMatchObject({ status: 'classification-required', reasonCode: 'low-confidence' });
    const list = await intake<{ items: { itemId: string; batchId: string; confidence: number; candidates: { leikaKey: string }[] }[] }>(
      'GET',
      '/v1/scan/classification-queue',
    );
    const item = list.body.items.find((i) => i.batchId === batch.batchId);
    expect(item).toBeDefined();
    expect(item!.confidence).toBeLessThan(0.6);
    expect(item!.candidates[0]).toMatchObject({ leikaKey: PARKING });
    const [event] = await probe.waitForCount(stack.topic('intake.scan.classification.v1'), 1);
    expect(JSON.parse(event!.value!)).toMatchObject({ type: 'scan.classification-required', payload: { itemId: item!.itemId } });

    const bad = await intake<Problem>('POST', `/v1/scan/classification-queue/${item!.itemId}/resolve`, {
      tenantArs: '12',
      leikaKey: PARKING,
    });
    expect([bad.status, bad.body.title]).toEqual([422, 'SCAN_RESOLUTION_INVALID']);
    const resolved = await intake<{ caseId: string; resolution: string }>('POST', `/v1/scan/classification-queue/${item!.itemId}/resolve`, {
      tenantArs: TENANT,
      leikaKey: PARKING,
    });
    expect([resolved.status, resolved.body.resolution]).toEqual([201, 'new-case']);
    const done = await intake<{ items: { itemId: string; resolution: string; resolvedBy: string; caseId: string }[] }>(
      'GET',
      '/v1/scan/classification-queue?status=resolved',
    );
    expect(done.body.items.find((i) => i.itemId === item!.itemId)).toMatchObject({
      resolution: 'new-case',
      resolvedBy: 'platform-admin',
      caseId: resolved.body.caseId,
    });
    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${resolved.body.caseId}`);
    expect(view.body.case).toMatchObject({ service: { leikaKey: PARKING }, channel: { scan: { classifiedBy: 'manual' } } });
    const again = await intake<Problem>('POST', `/v1/scan/classification-queue/${item!.itemId}/resolve`, {
      tenantArs: TENANT,
      leikaKey: PARKING,
    });
    expect([again.status, again.body.title]).toEqual([409, 'SCAN_QUEUE_ITEM_ALREADY_RESOLVED']);
    expect((await routing(resolved.body.caseId)).outcome).toBe('routed');
  }, 120000);

  it('a scanned paper with handwritten signature meets the written form: routing routes it to a procedure that requires it', async () => {
    const content = await textPdf(['Bauantrag', 'Bauvorhaben: Carport', 'Grundstück Am Hang 3']);
    const batch = await scanBatch([{ documentId: 'd1', fileName: 'bauantrag.pdf', content, handwrittenSignature: true, applicant: ERIKA }]);
    const caseId = batch.documents[0]!.caseId!;
    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${caseId}`);
    expect(view.body.case['writtenForm']).toMatchObject({ means: 'handwritten-signature', satisfied: true });
    const decision = await routing(caseId);
    expect(decision).toMatchObject({ outcome: 'routed', procedureId: 'building-potsdam' });
  }, 120000);

  it('attaches a scan quoting an existing case as follow-up: routing releases the case held for the written form', async () => {
    const portal = portalSubmission({
      tenant: { ars: TENANT },
      publicServiceType: { identifier: `urn:de:fim:leika:leistung:${BUILDING}` },
      channel: { kind: 'portal', portal: { portalId: 'p', authenticationMethod: 'bundid-password' } },
    });
    const sub = await intake<{ caseId: string }>('POST', '/v1/submissions', portal);
    expect(sub.status).toBe(202);
    expect(await routing(sub.body.caseId)).toMatchObject({ outcome: 'action-required' });
    const reference = (await intake<{ caseReference: string }>('GET', `/v1/cases/${sub.body.caseId}`)).body.caseReference;

    const content = await textPdf(['Unterschriebener Antrag', `Aktenzeichen ${reference}`]);
    const batch = await scanBatch([
      { documentId: 'd1', fileName: 'unterschrift.pdf', content, handwrittenSignature: true, caseReference: reference },
    ]);
    expect(batch.documents[0]).toMatchObject({ status: 'follow-up', caseId: sub.body.caseId });
    const evidence = await probe.waitForCount((m) => m.topic === stack.topic('cases.evidence.v1') && m.key === sub.body.caseId, 1);
    expect(JSON.parse(evidence[0]!.value!)).toMatchObject({
      type: 'case.evidence-added',
      payload: { caseId: sub.body.caseId, channel: 'scan', writtenForm: { means: 'handwritten-signature', satisfied: true } },
    });
    await waitFor('case released', async () => (await routing(sub.body.caseId)).outcome === 'routed', 30000);
    const view = await intake<{ timeline: { type: string }[] }>('GET', `/v1/cases/${sub.body.caseId}`);
    expect(view.body.timeline.map((t) => t.type)).toContain('scan.follow-up');
  }, 120000);

  it('a scan the scan centre assigned to a case reference that does not exist goes to a clerk, never silently becomes a new case', async () => {
    const content = await textPdf(PARKING_TEXT);
    const batch = await scanBatch([
      { documentId: 'd1', fileName: 'nachreichung.pdf', content, caseReference: 'PS-DEAD-BEEF-0000-0000-D', applicant: ERIKA },
      { documentId: 'd2', fileName: 'deckblatt.pdf', content, barcodes: ['POSTSTELLE:1;case=PS-0BAD-CAFE-0000-0000-D'], applicant: ERIKA },
    ]);
    for (const doc of batch.documents) {
      expect(doc).toMatchObject({ status: 'classification-required', reasonCode: 'unknown-case-reference' });
      expect(doc.caseId).toBeUndefined();
    }
    const list = await intake<{ items: { itemId: string; batchId: string; documentId: string; reasonCode: string; reason: string }[] }>(
      'GET',
      '/v1/scan/classification-queue',
    );
    const item = list.body.items.find((i) => i.batchId === batch.batchId && i.documentId === 'd1');
    expect(item).toMatchObject({
      reasonCode: 'unknown-case-reference',
      reason: expect.stringContaining('PS-DEAD-BEEF-0000-0000-D') as unknown,
    });
    const [event] = await probe.waitForCount((m) => m.topic === stack.topic('intake.scan.classification.v1') && m.key === item!.itemId, 1);
    expect(JSON.parse(event!.value!)).toMatchObject({ payload: { itemId: item!.itemId, reasonCode: 'unknown-case-reference' } });
  }, 120000);

  it('a clerk attaches a queued scan (mistyped case number) to the existing case as follow-up: timeline, evidence, written form', async () => {
    const portal = portalSubmission({
      tenant: { ars: TENANT },
      publicServiceType: { identifier: `urn:de:fim:leika:leistung:${BUILDING}` },
      channel: { kind: 'portal', portal: { portalId: 'p', authenticationMethod: 'bundid-password' } },
    });
    const sub = await intake<{ caseId: string }>('POST', '/v1/submissions', portal);
    expect(sub.status).toBe(202);
    const caseId = sub.body.caseId;
    expect(await routing(caseId)).toMatchObject({ outcome: 'action-required' });
    const reference = (await intake<{ caseReference: string }>('GET', `/v1/cases/${caseId}`)).body.caseReference;

    // The scan centre typed the case number wrong: the document waits for a clerk.
    const content = await textPdf(['Unterschriebener Bauantrag', 'Bauvorhaben: Carport']);
    const batch = await scanBatch([
      {
        documentId: 'd1',
        fileName: 'unterschrift.pdf',
        content,
        handwrittenSignature: true,
        caseReference: 'PS-0000-F00D-0000-0000-5',
        applicant: ERIKA,
      },
    ]);
    expect(batch.documents[0]).toMatchObject({ status: 'classification-required', reasonCode: 'unknown-case-reference' });
    const open = await intake<{ items: { itemId: string; batchId: string; resolution: string | null }[] }>(
      'GET',
      '/v1/scan/classification-queue',
    );
    const item = open.body.items.find((i) => i.batchId === batch.batchId);
    expect(item).toMatchObject({ resolution: null });
    const resolve = (body: object) =>
      intake<Problem & { resolution: string; caseId: string; caseReference: string; errors?: { field: string }[] }>(
        'POST',
        `/v1/scan/classification-queue/${item!.itemId}/resolve`,
        body,
      );

    const unknownReference = await resolve({ caseReference: 'PS-0000-F00D-0000-0000-5' });
    expect([unknownReference.status, unknownReference.body.title, unknownReference.body.errors?.[0]?.field]).toEqual([
      422,
      'SCAN_RESOLUTION_CASE_UNKNOWN',
      'caseReference',
    ]);
    const unknownId = await resolve({ caseId: randomUUID() });
    expect([unknownId.status, unknownId.body.title, unknownId.body.errors?.[0]?.field]).toEqual([
      422,
      'SCAN_RESOLUTION_CASE_UNKNOWN',
      'caseId',
    ]);
    const both = await resolve({ tenantArs: TENANT, leikaKey: BUILDING, caseReference: reference });
    expect([both.status, both.body.title, both.body.errors?.map((e) => e.field)]).toEqual([
      422,
      'SCAN_RESOLUTION_INVALID',
      ['caseReference'],
    ]);

    const attached = await resolve({ caseReference: reference });
    expect(attached.status).toBe(201);
    expect(attached.body).toEqual({ itemId: item!.itemId, resolution: 'follow-up', caseId, caseReference: reference });

    // The same follow-up path as a scan quoting the case: evidence event, written form met, the held case released.
    const evidence = await probe.waitForCount((m) => m.topic === stack.topic('cases.evidence.v1') && m.key === caseId, 1);
    expect(JSON.parse(evidence[0]!.value!)).toMatchObject({
      type: 'case.evidence-added',
      payload: {
        caseId,
        channel: 'scan',
        writtenForm: { means: 'handwritten-signature', satisfied: true },
        attachments: expect.arrayContaining([expect.objectContaining({ fileName: 'unterschrift.pdf' })]) as unknown,
      },
    });
    await waitFor('case released', async () => (await routing(caseId)).outcome === 'routed', 30000);
    const view = await intake<{
      timeline: { type: string; documentId?: string; itemId?: string; resolvedBy?: string; writtenForm?: string }[];
    }>('GET', `/v1/cases/${caseId}`);
    expect(view.body.timeline.find((t) => t.type === 'scan.follow-up')).toMatchObject({
      documentId: 'd1',
      writtenForm: 'handwritten-signature',
      itemId: item!.itemId,
      resolvedBy: 'platform-admin',
    });
    expect((await intake<BatchView>('GET', `/v1/scan/batches/${batch.batchId}`)).body.documents[0]).toMatchObject({
      status: 'follow-up',
      caseId,
    });

    const done = await intake<{ items: { itemId: string; status: string; resolution: string; resolvedBy: string; caseId: string }[] }>(
      'GET',
      '/v1/scan/classification-queue?status=all',
    );
    expect(done.body.items.find((i) => i.itemId === item!.itemId)).toMatchObject({
      status: 'resolved',
      resolution: 'follow-up',
      resolvedBy: 'platform-admin',
      caseId,
    });
    const again = await resolve({ caseId });
    expect([again.status, again.body.title]).toEqual([409, 'SCAN_QUEUE_ITEM_ALREADY_RESOLVED']);
    expect(probe.on(stack.topic('cases.evidence.v1')).filter((m) => m.key === caseId)).toHaveLength(1);
  }, 120000);

  describe('hostile and broken input gets a specific error, is kept, and the service keeps serving', () => {
    const doc = (content: Buffer, extra: Partial<ScanIndexDocument> = {}): ScanIndexDocument => ({
      documentId: 'd1',
      fileName: 'x.pdf',
      content,
      ...extra,
    });

    it.each([
      ['malformed XML', '<scanBatch><batchId>x</scanBatch>', 422, 'SCAN_INDEX_MALFORMED'],
      [
        'an external entity',
        '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><scanBatch><batchId>&x;</batchId></scanBatch>',
        422,
        'XML_DOCTYPE_FORBIDDEN',
      ],
      [
        'entity expansion',
        '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><scanBatch>&b;</scanBatch>',
        422,
        'XML_DOCTYPE_FORBIDDEN',
      ],
      ['an index missing required fields', '<scanBatch><batchId>B1</batchId></scanBatch>', 422, 'SCAN_INDEX_INVALID'],
    ])('index with %s', async (_name, xml, status, code) => {
      const r = await postIndex(xml);
      expect([r.status, r.body.title]).toEqual([status, code]);
      expect((await intake('GET', '/health')).status).toBe(200);
    });

    it('an oversized batch (too many documents) is refused', async () => {
      const pdf = await textPdf(['x']);
      const docs = Array.from({ length: 6 }, (_, i) => doc(pdf, { documentId: `d${i}`, fileName: `d${i}.pdf` }));
      const r = await postIndex(scanIndexXml({ batchId: 'B-big', tenantArs: TENANT, documents: docs }));
      expect([r.status, r.body.title]).toEqual([413, 'SCAN_BATCH_TOO_LARGE']);
    });

    it('documents that do not match the index, are encrypted, truncated or too large are refused with their own code', async () => {
      const good = await textPdf(['Bewohnerparkausweis Kennzeichen']);
      const encrypted = await textPdf(['geheim'], { userPassword: 'secret' });
      const truncated = good.subarray(0, Math.floor(good.length / 2));
      const big = Buffer.concat([good, Buffer.alloc(3 * 1024 * 1024, 0x20)]);
      const created = await postIndex(
        scanIndexXml({
          batchId: `B-${randomUUID()}`,
          tenantArs: TENANT,
          documents: [
            doc(good, { documentId: 'mismatch', fileName: 'a.pdf', sha512: 'a'.repeat(128) }),
            doc(encrypted, { documentId: 'encrypted', fileName: 'b.pdf' }),
            doc(truncated, { documentId: 'truncated', fileName: 'c.pdf' }),
            doc(big, { documentId: 'big', fileName: 'd.pdf' }),
            doc(Buffer.from('GIF89a not a pdf %%EOF'), { documentId: 'notpdf', fileName: 'e.pdf' }),
          ],
        }),
      );
      expect(created.status).toBe(201);
      const id = created.body.batchId;
      const results = [];
      for (const [documentId, bytes] of [
        ['mismatch', good],
        ['encrypted', encrypted],
        ['truncated', truncated],
        ['big', big],
        ['notpdf', Buffer.from('GIF89a not a pdf %%EOF')],
        ['unknown', good],
      ] as const) {
        const r = await upload(id, documentId, bytes);
        results.push([documentId, r.status, r.body.title]);
      }
      expect(results).toEqual([
        ['mismatch', 422, 'SCAN_DOCUMENT_HASH_MISMATCH'],
        ['encrypted', 422, 'SCAN_PDF_ENCRYPTED'],
        ['truncated', 422, 'SCAN_PDF_DAMAGED'],
        ['big', 413, 'SCAN_DOCUMENT_TOO_LARGE'],
        ['notpdf', 415, 'SCAN_UNSUPPORTED_MEDIA_TYPE'],
        ['unknown', 422, 'SCAN_DOCUMENT_UNKNOWN'],
      ]);
      expect((await intake<BatchView>('GET', `/v1/scan/batches/${id}`)).body.status).toBe('awaiting-documents');
      const dup = await postIndex(scanIndexXml({ batchId: 'B-dup', tenantArs: TENANT, documents: [doc(good)] }));
      expect(dup.status).toBe(201);
      const again = await postIndex(scanIndexXml({ batchId: 'B-dup', tenantArs: TENANT, documents: [doc(good)] }));
      expect([again.status, again.body.title]).toEqual([409, 'SCAN_BATCH_DUPLICATE']);
      expect((await intake('GET', '/health')).status).toBe(200);
    }, 60000);
  });

  it('drop folder: a ready batch (TIFF) becomes a case and moves to processed/; a broken one goes to rejected/ with a reason; each index is taken once', async () => {
    const drop = async (name: string, files: Record<string, Buffer | string>) => {
      const staging = join(dropDir, `.${name}`);
      await mkdir(staging);
      for (const [f, content] of Object.entries(files)) if (f !== 'index.xml') await writeFile(join(staging, f), content);
      await writeFile(join(staging, 'index.xml'), files['index.xml']!);
      await rename(staging, join(dropDir, name));
    };
    const tiff = await scannedPage(PARKING_TEXT, 'tiff');
    const goodIndex = scanIndexXml({
      batchId: 'DROP-1',
      tenantArs: TENANT,
      documents: [{ documentId: 'd1', fileName: 'seite1.tif', mediaType: 'image/tiff', content: tiff, applicant: ERIKA }],
    });
    await drop('batch-ok', { 'index.xml': goodIndex, 'seite1.tif': tiff });
    const badIndex = scanIndexXml({
      batchId: 'DROP-2',
      tenantArs: TENANT,
      documents: [{ documentId: 'd1', fileName: 'a.pdf', content: Buffer.from('other'), sha512: 'b'.repeat(128) }],
    });
    await drop('batch-bad', { 'index.xml': badIndex, 'a.pdf': await textPdf(['x']) });
    await drop('batch-xxe', { 'index.xml': '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><scanBatch>&e;</scanBatch>' });

    await waitFor('drop folder drained', async () => (await readdir(dropDir)).filter((f) => f.startsWith('batch-')).length === 0, 60000);
    expect(await readdir(join(dropDir, 'processed'))).toEqual(['batch-ok']);
    expect((await readdir(join(dropDir, 'rejected'))).sort()).toEqual(['batch-bad', 'batch-xxe']);
    expect(await readFile(join(dropDir, 'rejected', 'batch-bad', 'REJECTED.txt'), 'utf8')).toMatch(/^SCAN_DOCUMENT_HASH_MISMATCH\n/);
    expect(await readFile(join(dropDir, 'rejected', 'batch-xxe', 'REJECTED.txt'), 'utf8')).toMatch(/^XML_DOCTYPE_FORBIDDEN\n/);
    expect(await readFile(join(dropDir, 'rejected', 'batch-bad', 'a.pdf'))).toBeDefined();

    // The same batch dropped again is recognised by its index and not taken a second time.
    await drop('batch-ok-again', { 'index.xml': goodIndex, 'seite1.tif': tiff });
    await waitFor('re-drop moved', async () => (await readdir(join(dropDir, 'processed'))).includes('batch-ok-again'), 30000);
    const http = await postIndex(goodIndex);
    expect([http.status, http.body.title]).toEqual([409, 'SCAN_BATCH_DUPLICATE']);
    const batchId = (http.body as unknown as { batchId: string }).batchId;
    const batch = await processed(batchId);
    expect(batch.documents[0]).toMatchObject({ status: 'case' });
    const view = await intake<{ case: Record<string, unknown> }>('GET', `/v1/cases/${batch.documents[0]!.caseId}`);
    expect(view.body.case['channel']).toMatchObject({ kind: 'scan', scan: { textSource: 'ocr', batchId: 'DROP-1' } });
    expect((await intake('GET', '/health')).status).toBe(200);
  }, 120000);
});
