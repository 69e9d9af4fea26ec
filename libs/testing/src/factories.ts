import { randomUUID } from 'node:crypto';
import { minimalPdf } from './pdf';

/** A valid portal submission (SubmissionV1 as JSON); override any part. */
export function portalSubmission(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tenant: { ars: '120540000000' },
    publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000', name: 'Bewohnerparkausweis' },
    channel: {
      kind: 'portal',
      portal: { portalId: 'test-portal', authenticationMethod: 'bundid-eid', fitConnectSubmissionId: randomUUID() },
    },
    applicant: { kind: 'natural', givenName: 'Erika', familyName: 'Mustermann', address: { postalCode: '14467', city: 'Potsdam' } },
    formData: {
      schemaUri: 'urn:xoev-de:fim:standard:xfall_parking_1.0',
      mimeType: 'application/json',
      content: { plate: 'P-AB 123', zone: 'B' },
    },
    attachments: [
      {
        attachmentId: 'a1',
        fileName: 'fahrzeugschein.pdf',
        mediaType: 'application/pdf',
        purpose: 'attachment',
        contentBase64: minimalPdf(`Fahrzeugschein ${randomUUID()}`).toString('base64'),
      },
    ],
    levelOfAssurance: 'high',
    replyChannel: { eMail: { address: 'erika.mustermann@example.org' } },
    ...overrides,
  };
}
