import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FitMetadataValidator } from './fit-metadata';

// The published FIT-Connect metadata schema 1.0.0, from the shared reference folder beside the repository (tests only).
const OFFICIAL = resolve(__dirname, '../../../../../../shared/reference/fit-connect/metadata.schema.v1.0.0.json');

const HASH = 'a'.repeat(128);
const valid = () => ({
  contentStructure: {
    data: {
      hash: { type: 'sha512', content: HASH },
      submissionSchema: { schemaUri: 'https://schema.example/parking.json', mimeType: 'application/json' },
    },
    attachments: [
      {
        attachmentId: '3f1c2a4e-9a3b-4c5d-8e7f-0a1b2c3d4e5f',
        hash: { type: 'sha512', content: HASH },
        purpose: 'attachment',
        mimeType: 'application/pdf',
        filename: 'schein.pdf',
      },
    ],
  },
  publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000', name: 'Bewohnerparkausweis' },
  authenticationInformation: [{ type: 'identificationReport', version: '1.0.0', content: 'eyJhbGciOiJub25lIn0.e30.' }],
  paymentInformation: {
    transactionReference: 'KZ-2026-1',
    transactionId: 'tx-1',
    transactionUrl: 'https://pay.example/tx/1',
    transactionTimestamp: '2026-11-01T10:00:00Z',
    paymentMethod: 'CREDITCARD',
    paymentMethodDetail: 'Visa',
    status: 'BOOKED',
    grossAmount: 30.5,
  },
  replyChannel: { eMail: { address: 'erika@example.org' } },
  additionalReferenceInfo: { senderReference: 'AZ-77', applicationDate: '2026-11-01' },
});

type Metadata = ReturnType<typeof valid> & Record<string, unknown>;
const variant = (change: (m: Metadata) => void): unknown => {
  const m = valid() as Metadata;
  change(m);
  return m;
};
const attachment = (m: Metadata) => m.contentStructure.attachments[0] as Record<string, unknown>;
const data = (m: Metadata) => m.contentStructure.data as Record<string, unknown>;
const payment = (m: Metadata) => m.paymentInformation as Record<string, unknown>;
const signature = { signatureFormat: 'cms', detachedSignature: true, content: 'MIIB' };

/** Metadata both schemas must accept, then metadata both must refuse, one field of intake's at a time. */
const ACCEPTED: [string, unknown][] = [
  ['complete', valid()],
  ['minimal: no attachments, nothing optional', { contentStructure: { attachments: [] } }],
  ['unknown properties', variant((m) => Object.assign(m, { somethingNew: { x: 1 } }))],
  ['no data', variant((m) => delete (m.contentStructure as Record<string, unknown>)['data'])],
  ['xml form data', variant((m) => (data(m)['submissionSchema'] = { schemaUri: 'urn:xoev:form', mimeType: 'application/xml' }))],
  ['a data signature', variant((m) => (data(m)['signature'] = signature))],
  [
    'an attachment signature with a profile',
    variant(
      (m) => (attachment(m)['signature'] = { ...signature, eidasAdesProfile: 'http://uri.etsi.org/ades/191x2/level/baseline/B-LT#' }),
    ),
  ],
  [
    'purpose form, no filename',
    variant((m) => {
      attachment(m)['purpose'] = 'form';
      delete attachment(m)['filename'];
    }),
  ],
  ['a mime type with suffix', variant((m) => (attachment(m)['mimeType'] = 'application/vnd.api+json'))],
  ['a service type by another URN', variant((m) => (m.publicServiceType = { identifier: 'urn:xdomea:service:42' } as never))],
  [
    'payment minimal',
    variant(
      (m) => (m.paymentInformation = { transactionReference: '', transactionId: 'x', paymentMethod: 'OTHER', status: 'INITIAL' } as never),
    ),
  ],
  ['De-Mail reply channel', variant((m) => (m.replyChannel = { deMail: { address: 'erika@example.de-mail.de' } } as never))],
  [
    'FINK reply channel',
    variant((m) => (m.replyChannel = { fink: { finkPostfachRef: 'hh/by/12345', host: 'https://sk.example/' } } as never)),
  ],
  ['ELSTER reply channel', variant((m) => (m.replyChannel = { elster: { accountId: '1234567890', geschaeftszeichen: 'GZ-1' } } as never))],
  [
    'email with PGP key',
    variant(
      (m) => (m.replyChannel.eMail = { address: 'a@b.example', pgpPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ' } as never),
    ),
  ],
  ['an unknown reply channel', variant((m) => (m.replyChannel = { portal: {} } as never))],
];
const REFUSED: [string, unknown][] = [
  ['not an object', []],
  ['no contentStructure', variant((m) => delete (m as Record<string, unknown>)['contentStructure'])],
  ['no attachments', { contentStructure: {} }],
  ['data without hash', variant((m) => delete data(m)['hash'])],
  ['data hash upper case', variant((m) => (data(m)['hash'] = { type: 'sha512', content: 'A'.repeat(128) }))],
  ['data hash sha256', variant((m) => (data(m)['hash'] = { type: 'sha256', content: HASH }))],
  ['data hash too short', variant((m) => (data(m)['hash'] = { type: 'sha512', content: 'a'.repeat(127) }))],
  ['schema URI not a URI', variant((m) => (data(m)['submissionSchema'] = { schemaUri: 'not a uri', mimeType: 'application/json' }))],
  ['form data text/plain', variant((m) => (data(m)['submissionSchema'] = { schemaUri: 'urn:x:y', mimeType: 'text/plain' }))],
  ['a signature without format', variant((m) => (data(m)['signature'] = { detachedSignature: false }))],
  ['a signature format docx', variant((m) => (attachment(m)['signature'] = { ...signature, signatureFormat: 'docx' }))],
  ['attachment without id', variant((m) => delete attachment(m)['attachmentId'])],
  ['attachment id of 32 hex digits without hyphens', variant((m) => (attachment(m)['attachmentId'] = '3f1c2a4e9a3b4c5d8e7f0a1b2c3d4e5f'))],
  ['attachment id not a UUID', variant((m) => (attachment(m)['attachmentId'] = 'a1'))],
  ['attachment purpose other', variant((m) => (attachment(m)['purpose'] = 'other'))],
  ['attachment mime type without slash', variant((m) => (attachment(m)['mimeType'] = 'pdf'))],
  ['attachment filename a number', variant((m) => (attachment(m)['filename'] = 7))],
  ['service type without identifier', variant((m) => (m.publicServiceType = { name: 'x' } as never))],
  ['service identifier not a URN', variant((m) => (m.publicServiceType.identifier = '99050012104000'))],
  ['service identifier upper case', variant((m) => (m.publicServiceType.identifier = 'urn:de:fim:LEIKA:1'))],
  ['authentication empty', variant((m) => (m.authenticationInformation = []))],
  ['authentication version not semver', variant((m) => (m.authenticationInformation[0]!.version = '1.0'))],
  ['authentication content not base64url', variant((m) => (m.authenticationInformation[0]!.content = 'a b'))],
  ['authentication of another type', variant((m) => (m.authenticationInformation[0]!.type = 'eid'))],
  ['payment without status', variant((m) => delete payment(m)['status'])],
  ['payment status PAID', variant((m) => (payment(m)['status'] = 'PAID'))],
  ['payment method cash', variant((m) => (payment(m)['paymentMethod'] = 'CASH'))],
  ['transaction id with a space', variant((m) => (payment(m)['transactionId'] = 'tx 1'))],
  ['transaction id too long', variant((m) => (payment(m)['transactionId'] = 'x'.repeat(37)))],
  ['transaction URL not a URI', variant((m) => (payment(m)['transactionUrl'] = 'pay here'))],
  ['transaction timestamp a date', variant((m) => (payment(m)['transactionTimestamp'] = '2026-11-01'))],
  ['gross amount zero', variant((m) => (payment(m)['grossAmount'] = 0))],
  ['gross amount a string', variant((m) => (payment(m)['grossAmount'] = '30.50'))],
  ['gross amount three decimals', variant((m) => (payment(m)['grossAmount'] = 1.005))],
  ['reply channel empty', variant((m) => (m.replyChannel = {} as never))],
  [
    'two reply channels',
    variant((m) => (m.replyChannel = { eMail: { address: 'a@b.example' }, deMail: { address: 'c@d.example' } } as never)),
  ],
  ['email address invalid', variant((m) => (m.replyChannel.eMail.address = 'erika'))],
  ['PGP key not armoured', variant((m) => (m.replyChannel.eMail = { address: 'a@b.example', pgpPublicKey: 'mQ' } as never))],
  ['FINK reference upper case', variant((m) => (m.replyChannel = { fink: { finkPostfachRef: 'HH/BY' } } as never))],
  ['ELSTER account id of 9 digits', variant((m) => (m.replyChannel = { elster: { accountId: '123456789' } } as never))],
  [
    'ELSTER Geschäftszeichen too long',
    variant((m) => (m.replyChannel = { elster: { accountId: '1234567890', geschaeftszeichen: 'x'.repeat(11) } } as never)),
  ],
  ['application date a timestamp', variant((m) => (m.additionalReferenceInfo.applicationDate = '2026-11-01T10:00:00Z'))],
  ['sender reference a number', variant((m) => (m.additionalReferenceInfo = { senderReference: 7 } as never))],
];

describe('intake’s own FIT-Connect metadata schema', () => {
  const own = new FitMetadataValidator();
  const official = new FitMetadataValidator(JSON.parse(readFileSync(OFFICIAL, 'utf8')) as object);

  it.each(ACCEPTED)('accepts like the published schema: %s', (_name, metadata) => {
    expect(official.check(metadata)).not.toHaveProperty('errors');
    expect(own.check(metadata)).toEqual(official.check(metadata));
  });

  it.each(REFUSED)('refuses like the published schema, naming the same fields: %s', (_name, metadata) => {
    const expected = official.check(metadata);
    expect(expected).toHaveProperty('errors');
    expect(own.check(metadata)).toEqual(expected);
  });

  it('maps FIT-Connect 2.x `publicService` onto `publicServiceType` before validating', () => {
    const { publicServiceType, ...rest } = valid();
    const result = own.check({ ...rest, publicService: { identifier: publicServiceType.identifier, name: publicServiceType.name } });
    expect(result).toMatchObject({ version: '2.x', metadata: { publicServiceType } });
  });
});
