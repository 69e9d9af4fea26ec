import { type ScanIndexDocumentDto } from './scan-index';
import { leikaUrn } from '@poststelle/contracts';
import { scanEvidence, type ScanDocumentFacts } from './scan-rules';

/** The index applicant as an ApplicantDto-shaped object (validated with the submission). */
function indexApplicant(a: ScanIndexDocumentDto['applicant']): Record<string, unknown> {
  const address = {
    ...(a?.street ? { street: a.street } : {}),
    ...(a?.houseNumber ? { houseNumber: a.houseNumber } : {}),
    ...(a?.postalCode ? { postalCode: a.postalCode } : {}),
    ...(a?.city ? { city: a.city } : {}),
    ...(a?.country ? { country: a.country } : {}),
  };
  return {
    kind: a?.kind ?? 'natural',
    ...(a?.givenName ? { givenName: a.givenName } : {}),
    ...(a?.familyName ? { familyName: a.familyName } : {}),
    ...(a?.organisation ? { organisation: a.organisation } : {}),
    ...(a?.dateOfBirth ? { dateOfBirth: a.dateOfBirth } : {}),
    ...(a?.email ? { email: a.email } : {}),
    // A postal address needs at least postal code and city; fragments stay in the kept index, not on the case.
    ...(a?.postalCode && a.city ? { address } : {}),
  };
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/**
 * The reply channel of a paper applicant: the e-mail address if there is one, else a letter to the postal address
 * when it is complete enough to post a letter (a name, street, postal code and city). Neither: `{}`, which intake
 * refuses (no reply channel).
 */
export function scanReplyChannel(applicant: Record<string, unknown>): Record<string, unknown> {
  if (nonEmpty(applicant['email'])) return { eMail: { address: applicant['email'] } };
  const address = applicant['address'];
  if (!address || typeof address !== 'object' || Array.isArray(address)) return {};
  const { street, postalCode, city } = address as Record<string, unknown>;
  const person = [applicant['givenName'], applicant['familyName']].filter(nonEmpty).join(' ');
  const organisation = nonEmpty(applicant['organisation']) ? applicant['organisation'] : '';
  // A legal person is written to as the organisation, a natural person by name.
  const name = (applicant['kind'] === 'legal' ? organisation || person : person || organisation).trim();
  if (!name || !nonEmpty(street) || !nonEmpty(postalCode) || !nonEmpty(city)) return {};
  return { postal: { name: name.slice(0, 200), address } };
}

/**
 * The SubmissionV1 (plain JSON) a scanned document becomes; AcceptSubmissionUseCase validates it like any other
 * channel. Applicant and form data come from an application form captured with the batch, else from the index
 * applicant and the document text. Reply channel: the applicant's e-mail address, else a letter to the applicant's
 * postal address (`scanReplyChannel`).
 */
export function buildScanSubmission(
  f: ScanDocumentFacts,
  target: { leikaKey: string; tenantArs: string },
  classifiedBy: 'barcode' | 'form-id' | 'text' | 'manual',
): Record<string, unknown> {
  const applicant = f.form?.applicant ?? indexApplicant(f.document.applicant);
  return {
    tenant: { ars: target.tenantArs },
    publicServiceType: { identifier: leikaUrn(target.leikaKey) },
    channel: { kind: 'scan', scan: scanEvidence(f, classifiedBy) },
    applicant,
    formData: f.form
      ? { schemaUri: f.form.schemaUri, mimeType: 'application/json', content: f.form.data }
      : {
          schemaUri: 'urn:poststelle:scan:ocr:v1',
          mimeType: 'application/json',
          content: { text: f.text.slice(0, 100_000), pageCount: f.pageCount, textSource: f.textSource },
        },
    attachments: f.attachments,
    replyChannel: scanReplyChannel(applicant),
  };
}
