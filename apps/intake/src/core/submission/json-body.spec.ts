import { IntakeErrorCode, IntakeException } from '../intake.exception';
import { parseJsonObject, type ReceivedBody } from './json-body';

const body = (bytes: Buffer | string, contentType: string | null = 'application/json'): ReceivedBody => ({
  bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes),
  contentType: contentType ?? undefined,
});

const refusal = (input: ReceivedBody): IntakeException => {
  try {
    parseJsonObject(input);
  } catch (error) {
    if (error instanceof IntakeException) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('parseJsonObject (submission-type bodies)', () => {
  it('accepts a JSON object as application/json or +json, in UTF-8, with or without BOM', () => {
    expect(parseJsonObject(body('{"a": 1}'))).toEqual({ a: 1 });
    expect(parseJsonObject(body('\uFEFF{"a": "ü"}', 'application/vnd.fit+json; charset=UTF-8'))).toEqual({ a: 'ü' });
  });
  it('a body over the limit → PAYLOAD_TOO_LARGE (413) with the limit and size', () => {
    const e = refusal({ ...body(''), overflow: { limitBytes: 1024, receivedBytes: 4096 } });
    expect({ code: e.code, status: e.status }).toEqual({ code: IntakeErrorCode.PayloadTooLarge, status: 413 });
    expect(e.extensions).toMatchObject({ limitBytes: 1024, receivedBytes: 4096 });
  });
  it.each([
    ['text/plain', 'text/plain'],
    ['no content-type', null],
    ['form data', 'application/x-www-form-urlencoded'],
    ['another charset', 'application/json; charset=iso-8859-1'],
  ])('%s → UNSUPPORTED_MEDIA_TYPE (415) naming the accepted types', (_what, contentType) => {
    const e = refusal(body('{"a": 1}', contentType));
    expect({ code: e.code, status: e.status }).toEqual({ code: IntakeErrorCode.UnsupportedMediaType, status: 415 });
    expect(e.message).toContain('application/json');
    expect(e.extensions['accepted']).toEqual(['application/json', 'application/*+json']);
  });
  it('invalid UTF-8 → INVALID_UTF8 (400) with the byte offset', () => {
    const e = refusal(body(Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])));
    expect({ code: e.code, status: e.status, offset: e.extensions['byteOffset'] }).toEqual({
      code: IntakeErrorCode.InvalidUtf8,
      status: 400,
      offset: 7,
    });
  });
  it.each([
    ['a syntax error', '{"name": "Geheim", x}'],
    ['a truncated body', '{"name": "Geheim", "items": [1, 2'],
    ['an empty body', ''],
    ['trailing garbage', '{"name": "Geheim"} x'],
  ])('%s → MALFORMED_JSON (400), never echoing the content', (_what, text) => {
    const e = refusal(body(text));
    expect({ code: e.code, status: e.status }).toEqual({ code: IntakeErrorCode.MalformedJson, status: 400 });
    expect(JSON.stringify({ m: e.message, x: e.extensions })).not.toContain('Geheim');
  });
  it('a truncated body names line and column', () => {
    const e = refusal(body('{\n "a": [1, 2'));
    expect(e.extensions).toMatchObject({ line: 2, column: 12, position: 13 });
  });
  it.each([
    ['[1, 2]', 'an array'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('valid JSON that is not an object (%s) → INVALID_SUBMISSION (422) at `$`', (text, kind) => {
    const e = refusal(body(text));
    expect({ code: e.code, status: e.status }).toEqual({ code: IntakeErrorCode.InvalidSubmission, status: 422 });
    expect(e.extensions['errors']).toEqual([{ field: '$', message: `must be a JSON object, not ${kind}` }]);
  });
  it.each([
    ['a NUL in a string', '{"applicant": {"familyName": "Muster\\u0000mann"}}', 'applicant.familyName', 'NUL character'],
    ['a lone surrogate in a string', '{"formData": {"schemaUri": "urn:\\ud800"}}', 'formData.schemaUri', 'lone UTF-16 surrogate'],
    ['a NUL in a property name', '{"metadata": {"a\\u0000": 1}}', 'metadata["a\\u0000"]', 'property name must not contain the NUL'],
    ['5,000 levels of nesting', `{"x": ${'['.repeat(5000)}${']'.repeat(5000)}}`, `x${'[0]'.repeat(63)}`, 'nested more than 64 levels deep'],
  ])('%s → JSON_CONTENT_REFUSED (422) naming the field', (_what, text, field, message) => {
    const e = refusal(body(text));
    expect({ code: e.code, status: e.status }).toEqual({ code: IntakeErrorCode.JsonContentRefused, status: 422 });
    const errors = e.extensions['errors'] as { field: string; message: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe(field);
    expect(errors[0]!.message).toContain(message);
  });
});
