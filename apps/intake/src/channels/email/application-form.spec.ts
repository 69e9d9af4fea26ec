import { buildEmailSubmission } from './email-rules';
import { type ParsedEmail } from './email.ports';
import { applicationFormOf } from '../../core';

const form = {
  schemaUri: 'https://schema.example/parking.json',
  data: { plate: 'P-AB 123' },
  applicant: { kind: 'natural', givenName: 'Erika', familyName: 'Mustermann' },
  leikaKey: '99050012104000',
};

describe('application form document', () => {
  it('is recognised by schemaUri + data; anything else is not one', () => {
    expect(applicationFormOf(form)).toEqual({ schemaUri: form.schemaUri, data: form.data, applicant: form.applicant });
    expect(applicationFormOf({ schemaUri: 'x', data: [] })).toBeUndefined();
    expect(applicationFormOf({ leikaKey: '99050012104000', antrag: {} })).toBeUndefined();
    expect(applicationFormOf(null)).toBeUndefined();
  });

  it('an email carrying one maps form data and applicant as the portal would; other form data keeps the email mapping', () => {
    const parsed: ParsedEmail = {
      subject: 'Antrag',
      from: 'erika@example.org',
      recipients: [],
      headers: {},
      contentType: 'multipart/mixed',
      contentTypeParams: {},
      text: 'Anbei',
      hasHtml: false,
      attachments: [],
    };
    const input = {
      parsed,
      rawSha512: 'a'.repeat(128),
      auth: { dkim: 'none' as const, spf: 'none' as const, dmarc: 'none' as const, dkimDomains: [] },
      target: { tenantArs: '120540000000', leikaKey: '99050012104000' },
      attachments: [],
    };
    const withForm = buildEmailSubmission({ ...input, form: { mimeType: 'application/json', fileName: 'antrag.json', content: form } });
    expect(withForm).toMatchObject({
      applicant: form.applicant,
      formData: { schemaUri: form.schemaUri, mimeType: 'application/json', content: form.data },
      replyChannel: { eMail: { address: 'erika@example.org' } },
    });
    const other = buildEmailSubmission({ ...input, form: { mimeType: 'application/json', fileName: 'x.json', content: { plate: 'x' } } });
    expect(other).toMatchObject({
      applicant: { kind: 'natural', email: 'erika@example.org' },
      formData: { schemaUri: 'urn:poststelle:email:form:json', content: { form: { plate: 'x' } } },
    });
  });
});
