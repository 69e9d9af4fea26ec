/**
 * Intake's own JSON Schema (2020-12) for FIT-Connect submission metadata 1.0.0, written for Poststelle: it covers
 * every field intake reads or passes on (contentStructure, publicServiceType, authenticationInformation,
 * paymentInformation, replyChannel, additionalReferenceInfo) with the constraints FIT-Connect 1.0.0 puts on them.
 * Signatures (`contentStructure.data.signature`, `attachments[].signature`) are not read: only their shape is
 * checked, not the encoding of a detached signature. Unknown properties are allowed, as in FIT-Connect.
 * Shipped with the code so a clone needs nothing beside it; `fit-metadata.spec.ts` proves it judges like the
 * published schema.
 */
const sha512Hash = {
  type: 'object',
  required: ['type', 'content'],
  properties: {
    type: { type: 'string', enum: ['sha512'] },
    content: { type: 'string', pattern: '^[a-f0-9]{128}$', description: 'hex, lower case' },
  },
} as const;

const signature = {
  type: 'object',
  required: ['signatureFormat', 'detachedSignature'],
  properties: {
    signatureFormat: { type: 'string', enum: ['cms', 'xml', 'pdf', 'asic', 'json'] },
    eidasAdesProfile: {
      type: 'string',
      enum: [
        'http://uri.etsi.org/ades/191x2/level/baseline/B-B#',
        'http://uri.etsi.org/ades/191x2/level/baseline/B-T#',
        'http://uri.etsi.org/ades/191x2/level/baseline/B-LT#',
        'http://uri.etsi.org/ades/191x2/level/baseline/B-LTA#',
      ],
    },
    detachedSignature: { type: 'boolean' },
    content: { type: 'string' },
  },
} as const;

const emailAddress = { type: 'object', required: ['address'], properties: { address: { type: 'string', format: 'email' } } } as const;

/** Word characters, digits and hyphens, 1..36 long (transaction id, payment method detail); FIT-Connect's pattern text. */
const shortToken = { type: 'string', minLength: 1, maxLength: 36, pattern: '^[\\w\\d-]+$' } as const;

export const FIT_METADATA_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:poststelle:intake:fit-connect-metadata:1.0.0',
  title: 'FIT-Connect submission metadata 1.0.0 as intake reads it',
  type: 'object',
  required: ['contentStructure'],
  properties: {
    contentStructure: {
      type: 'object',
      required: ['attachments'],
      properties: {
        data: {
          type: 'object',
          required: ['hash', 'submissionSchema'],
          properties: {
            hash: sha512Hash,
            signature,
            submissionSchema: {
              type: 'object',
              required: ['schemaUri', 'mimeType'],
              properties: {
                schemaUri: { type: 'string', format: 'uri' },
                mimeType: { type: 'string', enum: ['application/json', 'application/xml'] },
              },
            },
          },
        },
        attachments: {
          type: 'array',
          items: {
            type: 'object',
            required: ['attachmentId', 'hash', 'purpose', 'mimeType'],
            properties: {
              attachmentId: { type: 'string', format: 'uuid', minLength: 32, maxLength: 36 },
              hash: sha512Hash,
              signature,
              purpose: { type: 'string', enum: ['form', 'attachment', 'report'] },
              mimeType: { type: 'string', pattern: '^[-\\w.]+/[-\\w.+]+$' },
              filename: { type: 'string' },
              description: { type: 'string' },
            },
          },
        },
      },
    },
    publicServiceType: {
      type: 'object',
      required: ['identifier'],
      properties: {
        identifier: { type: 'string', minLength: 7, maxLength: 255, pattern: "^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9()+,.:=@;$_!*'%/?#-]+$" },
        name: { type: 'string' },
        description: { type: 'string' },
      },
    },
    authenticationInformation: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['type', 'version', 'content'],
        properties: {
          type: { type: 'string', enum: ['identificationReport'] },
          version: { type: 'string', pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$', description: 'semver' },
          content: { type: 'string', pattern: '^[a-zA-Z0-9_\\-.]+$', description: 'base64url' },
        },
      },
    },
    paymentInformation: {
      type: 'object',
      required: ['transactionReference', 'transactionId', 'paymentMethod', 'status'],
      properties: {
        transactionReference: { type: 'string' },
        transactionId: shortToken,
        transactionUrl: { type: 'string', format: 'uri', minLength: 1 },
        transactionTimestamp: { type: 'string', format: 'date-time' },
        paymentMethod: { type: 'string', enum: ['GIROPAY', 'PAYDIRECT', 'CREDITCARD', 'PAYPAL', 'INVOICE', 'OTHER'] },
        paymentMethodDetail: shortToken,
        status: { type: 'string', enum: ['INITIAL', 'BOOKED', 'FAILED', 'CANCELED'] },
        grossAmount: { type: 'number', minimum: 0.01, multipleOf: 0.01 },
      },
    },
    replyChannel: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      properties: {
        eMail: {
          ...emailAddress,
          properties: {
            ...emailAddress.properties,
            pgpPublicKey: { type: 'string', pattern: '^-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\n' },
          },
        },
        deMail: emailAddress,
        fink: {
          type: 'object',
          required: ['finkPostfachRef'],
          properties: {
            finkPostfachRef: { type: 'string', maxLength: 150, pattern: '^[-._a-z0-9~/]*$' },
            host: { type: 'string', format: 'uri' },
          },
        },
        elster: {
          type: 'object',
          required: ['accountId'],
          properties: {
            accountId: { type: 'string', pattern: '^\\d{10}$' },
            lieferTicket: { type: 'string' },
            geschaeftszeichen: { type: 'string', maxLength: 10 },
          },
        },
      },
    },
    additionalReferenceInfo: {
      type: 'object',
      properties: {
        senderReference: { type: 'string' },
        applicationDate: { type: 'string', format: 'date' },
      },
    },
  },
} as const;
