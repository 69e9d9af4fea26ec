import { MAX_JSON_DEPTH, jsonStructureErrors } from '@poststelle/contracts';
import { describeJsonSyntaxError, firstInvalidUtf8Offset, formatJsonSyntaxLocation, type RawBodyRequest } from '@poststelle/platform';
import { IntakeErrorCode, IntakeException } from '../intake.exception';

/** A submission-type request body as received (main.ts reads it raw, see `keepRawBody`). */
export interface ReceivedBody {
  bytes: Buffer;
  contentType: string | undefined;
  /** The body exceeded the limit: it was read off and discarded, only its size is known. */
  overflow?: { limitBytes: number; receivedBytes?: number };
}

export function receivedBody(req: RawBodyRequest): ReceivedBody {
  const bytes = Buffer.isBuffer(req.body) ? req.body : (req.rawBody ?? Buffer.alloc(0));
  return { bytes, contentType: req.headers['content-type'], ...(req.bodyOverflow ? { overflow: req.bodyOverflow } : {}) };
}

/** The original to keep with a refusal: none for a body over the limit (only its size and the reason are kept). */
export const originalOf = (body: ReceivedBody): Buffer | undefined => (body.overflow ? undefined : body.bytes);

export const ACCEPTED_JSON_TYPES = ['application/json', 'application/*+json'];
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/**
 * Reads a submission-type body as one JSON object, or throws the specific typed refusal: PAYLOAD_TOO_LARGE (413),
 * UNSUPPORTED_MEDIA_TYPE (415), INVALID_UTF8 (400), MALFORMED_JSON (400, with line/column, never the content) or
 * INVALID_SUBMISSION (422: valid JSON that is not an object), JSON_CONTENT_REFUSED (422: nested deeper than
 * {@link MAX_JSON_DEPTH} levels, or a NUL character or lone surrogate in a key or string, each named by its path).
 * The caller keeps the original with the reason.
 */
export function parseJsonObject(body: ReceivedBody): Record<string, unknown> {
  if (body.overflow) {
    const { limitBytes, receivedBytes } = body.overflow;
    const size = receivedBytes ? ` (${receivedBytes} bytes or more)` : '';
    throw new IntakeException(IntakeErrorCode.PayloadTooLarge, `the request body${size} exceeds the limit of ${limitBytes} bytes`, {
      limitBytes,
      ...(receivedBytes ? { receivedBytes } : {}),
      errors: [{ field: '$', message: `larger than ${limitBytes} bytes${size}; the body was not stored` }],
    });
  }
  const [mediaType = '', ...params] = (body.contentType ?? '').split(';').map((p) => p.trim());
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (!JSON_TYPE.test(mediaType) || (charset !== undefined && !/^utf-?8$/i.test(charset))) {
    const got = mediaType ? `content-type ${mediaType}${charset ? `; charset=${charset}` : ''}` : 'a body without content-type';
    throw new IntakeException(
      IntakeErrorCode.UnsupportedMediaType,
      `${got} is not accepted here; send ${ACCEPTED_JSON_TYPES.join(' or ')} (UTF-8)`,
      {
        accepted: ACCEPTED_JSON_TYPES,
        errors: [{ field: 'content-type', message: `must be ${ACCEPTED_JSON_TYPES.join(' or ')} in UTF-8` }],
      },
    );
  }
  const offset = firstInvalidUtf8Offset(body.bytes);
  if (offset !== undefined) {
    throw new IntakeException(IntakeErrorCode.InvalidUtf8, `request body is not valid UTF-8 (first invalid byte at offset ${offset})`, {
      byteOffset: offset,
      errors: [{ field: 'request body', message: `invalid UTF-8 byte sequence at byte offset ${offset}` }],
    });
  }
  const text = body.bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new IntakeException(IntakeErrorCode.MalformedJson, 'the request body is empty; send a JSON object', {
      errors: [{ field: '$', message: 'empty body' }],
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const loc = describeJsonSyntaxError(error, text);
    throw new IntakeException(IntakeErrorCode.MalformedJson, `the request body is not valid JSON: ${formatJsonSyntaxLocation(loc)}`, {
      errors: [{ field: '$', message: formatJsonSyntaxLocation(loc) }],
      ...(loc.position === undefined ? {} : { position: loc.position, line: loc.line, column: loc.column }),
    });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new IntakeException(IntakeErrorCode.InvalidSubmission, `the request body must be a JSON object, not ${kindOf(value)}`, {
      errors: [{ field: '$', message: `must be a JSON object, not ${kindOf(value)}` }],
    });
  }
  const structural = jsonStructureErrors(value);
  if (structural.length > 0) {
    throw new IntakeException(
      IntakeErrorCode.JsonContentRefused,
      `the request body holds what no field may hold (${structural.length} finding(s): nesting deeper than ${MAX_JSON_DEPTH} levels, NUL characters or lone surrogates)`,
      { errors: structural },
    );
  }
  return value as Record<string, unknown>;
}
