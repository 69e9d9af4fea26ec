import { parseStringPromise } from 'xml2js';
import { IntakeErrorCode, IntakeException } from '../intake.exception';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly: invalid byte sequences are an error, never silently replaced. */
export function decodeUtf8(bytes: Buffer, what: string): string {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new IntakeException(IntakeErrorCode.InvalidUtf8, `${what} is not valid UTF-8`, {
      errors: [{ field: what, message: 'invalid UTF-8 byte sequence' }],
    });
  }
}

/**
 * Parses XML form data safely: any DOCTYPE (the carrier of external entities and entity expansion) is refused
 * before the parser sees the document; xml2js then never resolves entities beyond the five predefined ones.
 */
export async function parseXmlFormData(bytes: Buffer, what = 'XML form data'): Promise<Record<string, unknown>> {
  const text = decodeUtf8(bytes, what);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new IntakeException(
      IntakeErrorCode.XmlDoctypeForbidden,
      `${what} contains a DOCTYPE or ENTITY declaration; these are refused (external entities, entity expansion)`,
      { errors: [{ field: what, message: 'DOCTYPE/ENTITY declarations are not allowed' }] },
    );
  }
  try {
    const parsed: unknown = await parseStringPromise(text, { explicitArray: false, strict: true, async: false });
    if (!parsed || typeof parsed !== 'object') throw new Error('empty document');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new IntakeException(
      IntakeErrorCode.FormDataMalformed,
      `${what} is not well-formed XML: ${(error as Error).message.split('\n')[0]}`,
      { errors: [{ field: what, message: 'not well-formed XML' }] },
    );
  }
}

export function parseJsonFormData(bytes: Buffer, what = 'JSON form data'): Record<string, unknown> {
  const text = decodeUtf8(bytes, what);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new IntakeException(IntakeErrorCode.FormDataMalformed, `${what} is not valid JSON: ${(error as Error).message}`, {
      errors: [{ field: what, message: 'not valid JSON' }],
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new IntakeException(IntakeErrorCode.FormDataMalformed, `${what} must be a JSON object`, {
      errors: [{ field: what, message: 'must be a JSON object' }],
    });
  }
  return parsed as Record<string, unknown>;
}
