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

/**
 * A back office's status report on a case (`case.status-changed` envelope, as sent to
 * `procedure.<procedureId>.status.v1`); override any part of the payload.
 */
export function statusReport(
  opts: { caseId: string; procedureId: string; tenant: string; id?: string },
  payload: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: opts.id ?? randomUUID(),
    type: 'case.status-changed',
    version: 1,
    occurredAt: now,
    correlationId: opts.caseId,
    tenant: opts.tenant,
    payload: {
      caseId: opts.caseId,
      procedureId: opts.procedureId,
      status: 'PROCESSING',
      reportedBy: `procedure:${opts.procedureId}`,
      reportedAt: now,
      ...payload,
    },
  };
}
