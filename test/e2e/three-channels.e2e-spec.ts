import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { CaseReceivedV1, validateContract, type CaseV1 } from '@poststelle/contracts';
import { KafkaProbe, Stack, minimalPdf, scanIndexXml, sha512, textPdf, waitFor } from '@poststelle/testing';

const TENANT = '120540000000';
const PARKING = '99050012104000';

/** One application, as the applicant fills it in once. */
const APPLICANT = {
  kind: 'natural',
  givenName: 'Erika',
  familyName: 'Mustermann',
  email: 'erika@example.org',
  address: { postalCode: '14467', city: 'Potsdam' },
};
const SCHEMA_URI = 'https://schema.example/parking.json';
const DATA = { plate: 'P-AB 123', zone: 'Innenstadt' };
/** The application form document (docs/canonical-model.md) that email and scan carry. */
const APPLICATION_FORM = { schemaUri: SCHEMA_URI, data: DATA, applicant: APPLICANT, leikaKey: PARKING, ars: TENANT };

/**
 * Everything that may differ between channels: ids, timestamps, the channel evidence, the attachments (a FIT-Connect
 * upload, a mail attachment, a scan with its PDF/A), the duplicate link (asserted separately) and the wording of the
 * written-form assessment, which describes the channel (its means and result are compared).
 */
function comparable(c: CaseV1): Record<string, unknown> {
  const { caseId: _c, submissionId: _s, receivedAt: _r, channel: _ch, attachments: _a, possibleDuplicateOf: _d, writtenForm, ...rest } = c;
  return { ...rest, writtenForm: { means: writtenForm.means, satisfied: writtenForm.satisfied } };
}

describe('one application through portal, email and scan → three canonical cases that differ only in channel evidence', () => {
  let stack: Stack;
  let probe: KafkaProbe;

  beforeAll(async () => {
    stack = await new Stack({ extraEnv: { SCAN_PROCESS_POLL_MS: '200' } }).start();
    probe = await new KafkaProbe().start([stack.topic('cases.received.v1')]);
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await stack?.stop();
  }, 60000);

  const received = async (caseId: string): Promise<CaseV1> => {
    const [m] = await probe.waitForCount((x) => x.topic === stack.topic('cases.received.v1') && x.key === caseId, 1);
    const envelope = JSON.parse(m!.value!) as { type: string; payload: unknown };
    expect(envelope.type).toBe('case.received');
    // The same contract validation every consumer applies.
    return validateContract(CaseReceivedV1, envelope.payload).case;
  };

  it('portal (FIT-Connect), email (POST /v1/email) and scan yield the same case', async () => {
    // Portal: FIT-Connect announce → upload → submit.
    const data = JSON.stringify(DATA);
    const pdf = minimalPdf(`Nachweis ${randomUUID()}`);
    const attachmentId = randomUUID();
    const fit = (method: string, path: string, body: Buffer | object, contentType = 'application/json') =>
      stack.json<{ submissionId: string; caseId: string }>('intake', `/v1/fit-connect/submissions${path}`, {
        method,
        headers: { 'content-type': contentType },
        body: Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });
    const announced = await fit('POST', '', {
      tenantArs: TENANT,
      applicant: APPLICANT,
      metadata: {
        contentStructure: {
          data: {
            hash: { type: 'sha512', content: sha512(data) },
            submissionSchema: { schemaUri: SCHEMA_URI, mimeType: 'application/json' },
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
        publicServiceType: { identifier: `urn:de:fim:leika:leistung:${PARKING}` },
        replyChannel: { eMail: { address: APPLICANT.email } },
      },
    });
    expect(announced.status).toBe(201);
    const id = announced.body.submissionId;
    expect((await fit('PUT', `/${id}/attachments/${attachmentId}`, pdf, 'application/pdf')).status).toBe(200);
    const submitted = await fit('POST', `/${id}/submit`, { data });
    expect(submitted.status).toBe(202);
    const portal = await received(submitted.body.caseId);

    // Email: the raw RFC 822 message, the application form attached as JSON.
    const raw = await new MailComposer({
      from: APPLICANT.email,
      to: 'antraege@stadt.example',
      subject: 'Antrag Bewohnerparkausweis',
      text: 'Anbei mein Antrag.',
      attachments: [{ filename: 'antrag.json', content: JSON.stringify(APPLICATION_FORM), contentType: 'application/json' }],
    })
      .compile()
      .build();
    const mail = await stack.json<{ status: string; caseId: string }>('intake', '/v1/email?rcptTo=antraege@stadt.example', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: raw,
    });
    expect([mail.status, mail.body.status]).toEqual([202, 'case']);
    const email = await received(mail.body.caseId);

    // Scan: the paper with a cover-sheet barcode; the scan centre captured the form data as index data.
    const paper = await textPdf(['Antrag auf Bewohnerparkausweis', 'Kennzeichen P-AB 123', 'Erika Mustermann, 14467 Potsdam']);
    const index = scanIndexXml({
      batchId: 'B-3CH',
      documents: [
        {
          documentId: 'd1',
          fileName: 'antrag.pdf',
          content: paper,
          barcodes: [`POSTSTELLE:1;leika=${PARKING};ars=${TENANT}`],
          applicationForm: APPLICATION_FORM,
        },
      ],
    });
    // Sealed by the stack's scan centre: intake refuses an unsealed index by default.
    const created = await stack.json<{ batchId: string }>('intake', '/v1/scan/batches', {
      method: 'POST',
      headers: { 'content-type': 'application/xml', ...(await stack.sealHeader(index)) },
      body: index,
    });
    expect(created.status).toBe(201);
    const up = await stack.json('intake', `/v1/scan/batches/${created.body.batchId}/documents/d1`, { method: 'PUT', body: paper });
    expect(up.status).toBe(200);
    const batch = await waitFor(
      'scan processed',
      async () => {
        const r = await stack.json<{ status: string; documents: { status: string; caseId?: string }[] }>(
          'intake',
          `/v1/scan/batches/${created.body.batchId}`,
        );
        return r.body.status === 'processed' && r.body;
      },
      60000,
    );
    expect(batch.documents[0]).toMatchObject({ status: 'case' });
    const scan = await received(batch.documents[0]!.caseId!);

    // Three cases, three channels, each with its own evidence and attachments.
    expect([portal.channel.kind, email.channel.kind, scan.channel.kind]).toEqual(['portal', 'email', 'scan']);
    expect(portal.channel.portal).toMatchObject({ fitConnectSubmissionId: id });
    expect(email.channel.email).toMatchObject({
      rawMessageSha512: expect.stringMatching(/^[a-f0-9]{128}$/) as unknown,
      signatureVerified: false,
    });
    expect(scan.channel.scan).toMatchObject({
      batchId: 'B-3CH',
      classifiedBy: 'barcode',
      documentSha512: sha512(paper),
      textSource: 'text-layer',
    });
    expect(new Set([portal.caseId, email.caseId, scan.caseId]).size).toBe(3);

    // Duplicate detection across channels links the later two to the first (flagged, not merged).
    expect(portal.possibleDuplicateOf).toBeUndefined();
    expect(email.possibleDuplicateOf).toBe(portal.caseId);
    expect(scan.possibleDuplicateOf).toBe(portal.caseId);

    // Everything else is the same canonical case.
    expect(comparable(email)).toEqual(comparable(portal));
    expect(comparable(scan)).toEqual(comparable(portal));
    expect(comparable(portal)).toMatchObject({
      tenant: { ars: TENANT },
      service: { leikaKey: PARKING },
      applicant: APPLICANT,
      formData: { schemaUri: SCHEMA_URI, content: DATA },
      replyChannel: { eMail: { address: APPLICANT.email } },
      levelOfAssurance: 'none',
      writtenForm: { means: 'none', satisfied: false },
    });
  }, 180000);
});
