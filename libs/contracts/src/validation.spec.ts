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

describe("hostile structure is the client's error, never a crash", () => {
  const errorsOf = (plain: unknown) => {
    try {
      validateContract(SubmissionV1, plain);
    } catch (error) {
      if (error instanceof ContractValidationError) return error.errors;
      throw error;
    }
    throw new Error('expected a ContractValidationError');
  };
  const storable = (errors: { field: string; message: string }[]) =>
    ![...JSON.stringify(errors)].some((c) => c === '\u0000' || (c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdfff));

  it('refuses a NUL character in a string, naming the field', () => {
    const s = valid();
    expect(errorsOf({ ...s, applicant: { kind: 'legal', organisation: 'Muster\u0000bau' } })).toEqual([
      { field: 'applicant.organisation', message: 'must not contain the NUL character (U+0000)' },
    ]);
  });

  it('refuses a lone surrogate in a string and a NUL in a property name, with storable paths', () => {
    const s = valid();
    const errors = errorsOf({
      ...s,
      replyChannel: { eMail: { address: '\udc00@example.org' } },
      formData: { ...s.formData, content: { 'a\u0000b': 1 } },
    });
    expect(errors.map((e) => e.field)).toEqual(['formData.content["a\\u0000b"]', 'replyChannel.eMail.address']);
    expect(errors[1]!.message).toContain('lone UTF-16 surrogate');
    expect(storable(errors)).toBe(true);
  });

  it('refuses a body nested thousands of levels deep without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i += 1) deep = [deep];
    const errors = errorsOf({ ...valid(), formData: { schemaUri: 'urn:test', mimeType: 'application/json', content: { deep } } });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('nested more than 64 levels deep');
    expect(errors[0]!.field).toMatch(/^formData\.content\.deep(\[0\])+$/);
  });

  it('accepts form data nested as deep as real forms are', () => {
    let nested: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 40; i += 1) nested = { n: nested };
    expect(() => validateContract(SubmissionV1, { ...valid(), formData: { ...valid().formData, content: nested } })).not.toThrow();
  });

  it('refuses an array where one nested object belongs', () => {
    expect(errorsOf({ ...valid(), publicServiceType: [] })).toEqual([
      { field: 'publicServiceType', message: 'must be a JSON object, not an array' },
    ]);
    expect(errorsOf({ ...valid(), formData: [[{ schemaUri: 'x' }]] })).toEqual([
      { field: 'formData', message: 'must be a JSON object, not an array' },
    ]);
    expect(errorsOf({ ...valid(), applicant: { kind: 'natural', familyName: 'M', address: [] } })).toEqual([
      { field: 'applicant.address', message: 'must be a JSON object, not an array' },
    ]);
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
