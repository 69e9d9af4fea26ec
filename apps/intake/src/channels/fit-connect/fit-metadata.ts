import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type FieldError } from '@poststelle/contracts';
import { FIT_METADATA_SCHEMA } from './fit-metadata.schema';

/** FIT-Connect metadata 1.0.0 as far as intake reads it (the full original is kept verbatim). */
export interface FitMetadata {
  contentStructure: {
    data?: {
      hash: { type: 'sha512'; content: string };
      submissionSchema: { schemaUri: string; mimeType: 'application/json' | 'application/xml' };
    };
    attachments: {
      attachmentId: string;
      hash: { type: 'sha512'; content: string };
      purpose: 'form' | 'attachment' | 'report';
      mimeType: string;
      filename?: string;
    }[];
  };
  publicServiceType?: { identifier: string; name?: string };
  authenticationInformation?: { type: 'identificationReport'; version: string; content: string }[];
  paymentInformation?: {
    transactionReference: string;
    transactionId: string;
    transactionUrl?: string;
    transactionTimestamp?: string;
    paymentMethod: string;
    paymentMethodDetail?: string;
    status: string;
    grossAmount?: number;
  };
  replyChannel?: Record<string, Record<string, unknown>>;
  additionalReferenceInfo?: { senderReference?: string; applicationDate?: string };
}

export class FitMetadataValidator {
  private readonly validate: ValidateFunction;

  /**
   * Validates against intake's own metadata schema (`fit-metadata.schema.ts`), shipped with the code. A test passes
   * the published FIT-Connect schema instead to prove both judge alike.
   */
  constructor(schema: object = FIT_METADATA_SCHEMA) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    this.validate = ajv.compile(schema);
  }

  /**
   * Validates metadata against schema 1.0.0. FIT-Connect 2.x metadata names the service `publicService`: it is
   * mapped onto `publicServiceType` first (the original stays untouched).
   */
  check(original: unknown): { metadata: FitMetadata; version: '1.x' | '2.x' } | { errors: FieldError[] } {
    if (!original || typeof original !== 'object' || Array.isArray(original))
      return { errors: [{ field: 'metadata', message: 'must be an object' }] };
    const copy = structuredClone(original) as Record<string, unknown>;
    let version: '1.x' | '2.x' = '1.x';
    if ('publicService' in copy) {
      version = '2.x';
      const ps = copy['publicService'] as Record<string, unknown> | undefined;
      delete copy['publicService'];
      if (ps && typeof ps === 'object')
        copy['publicServiceType'] = { identifier: ps['identifier'], ...(ps['name'] ? { name: ps['name'] } : {}) };
    }
    if (this.validate(copy)) return { metadata: copy as unknown as FitMetadata, version };
    return { errors: (this.validate.errors ?? []).map(toFieldError) };
  }
}

function toFieldError(e: ErrorObject): FieldError {
  const path = e.instancePath
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.');
  const extra = e.keyword === 'required' ? ` (${(e.params as { missingProperty: string }).missingProperty})` : '';
  return { field: `metadata${path ? `.${path}` : ''}`, message: `${e.message ?? 'invalid'}${extra}` };
}
