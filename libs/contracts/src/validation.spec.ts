import {
  CaseReceivedV1,
  PostalLetterV1,
  SubmissionV1,
  arsPrefixes,
  leikaKeyFromUrn,
  leikaUrn,
  procedureOfStatusTopic,
  procedureStatusTopic,
  procedureTopic,
  validateContract,
  ContractValidationError,
  replyChannelKinds,
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

describe('postal reply channel', () => {
  const postal = { name: 'Erika Mustermann', address: { street: 'Musterweg', houseNumber: '1', postalCode: '14467', city: 'Potsdam' } };

  it('accepts a letter by post as reply channel and counts it as one kind', () => {
    const s = validateContract(SubmissionV1, { ...valid(), replyChannel: { postal } });
    expect(s.replyChannel.postal).toEqual(postal);
    expect(replyChannelKinds(s.replyChannel)).toEqual(['postal']);
    expect(replyChannelKinds({ eMail: { address: 'a@example.org' }, postal })).toEqual(['eMail', 'postal']);
  });

  const distinct = (fields: string[]) => [...new Set(fields)].sort();

  it('requires the name (at most 200 characters) and a valid postal address', () => {
    const body = { ...valid(), replyChannel: { postal: { address: { postalCode: '!', city: '' } } } };
    expect(distinct(fieldsOf(() => validateContract(SubmissionV1, body)))).toEqual([
      'replyChannel.postal.address.city',
      'replyChannel.postal.address.postalCode',
      'replyChannel.postal.name',
    ]);
    expect(
      distinct(fieldsOf(() => validateContract(SubmissionV1, { ...valid(), replyChannel: { postal: { name: 'x'.repeat(201) } } }))),
    ).toEqual(['replyChannel.postal.address', 'replyChannel.postal.name']);
  });

  it('validates a letter order with its recipient', () => {
    const letter = {
      notificationId: '8b0e7a2c-4a4e-4d7e-9a39-2f3a3c1f6b11',
      caseId: '3f2a9c1b-0d1e-4f5a-8b6c-7d8e9f0a1b2c',
      status: 'COMPLETED',
      subject: 'Ihr Antrag',
      body: 'Ihr Antrag ist abgeschlossen.',
      recipient: postal,
    };
    expect(validateContract(PostalLetterV1, letter).recipient.address.city).toBe('Potsdam');
    expect(fieldsOf(() => validateContract(PostalLetterV1, { ...letter, recipient: { name: 'Erika' } }))).toEqual(['recipient.address']);
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

  it('builds a procedure status topic from a safe id and reads the procedure back from it', () => {
    expect(procedureStatusTopic('parking-potsdam')).toBe('procedure.parking-potsdam.status.v1');
    expect(() => procedureStatusTopic('Parking')).toThrow(/invalid procedure id/);
    expect(procedureOfStatusTopic(procedureStatusTopic('parking-potsdam'))).toBe('parking-potsdam');
  });

  it('recognises only well-formed procedure status topics', () => {
    for (const topic of [
      'procedure.parking-potsdam.cases.v1',
      'procedure.parking-potsdam.status.v2',
      'cases.status.v1',
      'e2e-1.procedure.parking-potsdam.status.v1',
      'procedure.a.status.v1',
      'procedure.-a.status.v1',
      'procedure.a.b.status.v1',
      'procedure.parking-potsdam.status.v1.x',
    ]) {
      expect(procedureOfStatusTopic(topic)).toBeUndefined();
    }
  });
});
