import {
  CaseReceivedV1,
  SubmissionV1,
  arsPrefixes,
  leikaKeyFromUrn,
  leikaUrn,
  procedureTopic,
  validateContract,
  ContractValidationError,
} from './index';

const valid = () => ({
  tenant: { ars: '120540000000' },
  publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000' },
  channel: { kind: 'email', email: { rawMessageSha512: 'a'.repeat(128) } },
  applicant: { kind: 'legal', organisation: 'Musterbau GmbH' },
  formData: { schemaUri: 'urn:test', mimeType: 'application/json', content: { a: 1 } },
  replyChannel: { eMail: { address: 'post@musterbau.example' } },
});

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractValidationError) return error.errors.map((e) => e.field);
    throw error;
  }
  throw new Error('expected a ContractValidationError');
}

describe('contract validation (the one validation point)', () => {
  it('accepts a valid submission and returns a class instance', () => {
    const s = validateContract(SubmissionV1, valid());
    expect(s).toBeInstanceOf(SubmissionV1);
    expect(s.channel.kind).toBe('email');
  });

  it('names every invalid field with its JSON path', () => {
    const body = { ...valid(), tenant: { ars: '1205' }, applicant: { kind: 'robot', address: { postalCode: '!', city: '' } } };
    expect(fieldsOf(() => validateContract(SubmissionV1, body)).sort()).toEqual(
      ['applicant.address.city', 'applicant.address.postalCode', 'applicant.kind', 'tenant.ars'].sort(),
    );
  });

  it('requires the evidence that matches the channel kind', () => {
    expect(fieldsOf(() => validateContract(SubmissionV1, { ...valid(), channel: { kind: 'scan' } }))).toEqual(['channel.scan']);
  });

  it('rejects unknown properties instead of dropping them silently', () => {
    expect(fieldsOf(() => validateContract(SubmissionV1, { ...valid(), extra: 1 }))).toEqual(['extra']);
  });

  it('reports array items by index', () => {
    const body = {
      ...valid(),
      attachments: [{ attachmentId: 'a', fileName: 'x.pdf', mediaType: 'pdf', purpose: 'attachment', contentBase64: 'AAAA' }],
    };
    expect(fieldsOf(() => validateContract(SubmissionV1, body))).toEqual(['attachments[0].mediaType']);
  });

  it('rejects a non-object payload', () => {
    expect(fieldsOf(() => validateContract(CaseReceivedV1, 'hello'))).toEqual(['$']);
    expect(fieldsOf(() => validateContract(CaseReceivedV1, [1]))).toEqual(['$']);
  });
});

describe('identifiers', () => {
  it('gives ARS prefixes most specific first', () => {
    expect(arsPrefixes('120605003154')).toEqual(['120605003154', '120605003', '12060', '120', '12']);
    expect(() => arsPrefixes('12060500315')).toThrow(/12-digit/);
  });

  it('maps LeiKa keys to URNs and back', () => {
    expect(leikaUrn('99050012104000')).toBe('urn:de:fim:leika:leistung:99050012104000');
    expect(leikaKeyFromUrn('urn:de:fim:leika:leistung:99050012104000')).toBe('99050012104000');
    expect(() => leikaKeyFromUrn('urn:de:fim:leika:leistung:12050012104000')).toThrow(/LeiKa/);
  });

  it('only builds procedure topics from safe ids', () => {
    expect(procedureTopic('parking-potsdam')).toBe('procedure.parking-potsdam.cases.v1');
    expect(() => procedureTopic('../etc')).toThrow(/invalid procedure id/);
  });
});
