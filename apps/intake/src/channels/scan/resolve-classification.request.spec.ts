import { ScanErrorCode, ScanException } from './scan.exception';
import { parseResolution } from './resolve-classification.request';

const ARS = '120540000000';
const LEIKA = '99050012104000';
const CASE_ID = '3f2a9c1b-1111-4aaa-8bbb-123456789abc';

/** The field errors of a refused resolution (fails the test when it is accepted or fails otherwise). */
function refusal(body: unknown): { field: string; message: string }[] {
  try {
    parseResolution(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ScanException);
    const e = error as ScanException;
    expect([e.code, e.status]).toEqual([ScanErrorCode.ResolutionInvalid, 422]);
    return e.extensions['errors'] as { field: string; message: string }[];
  }
  throw new Error('the resolution was accepted');
}
const fields = (body: unknown) => refusal(body).map((e) => e.field);

describe('parseResolution (POST /v1/scan/classification-queue/{itemId}/resolve)', () => {
  it('tenant + service is a new case', () => {
    expect(parseResolution({ tenantArs: ARS, leikaKey: LEIKA })).toEqual({ resolution: 'new-case', tenantArs: ARS, leikaKey: LEIKA });
  });

  it('a case reference (as printed on cover sheets, any case) or a case id is a follow-up', () => {
    expect(parseResolution({ caseReference: 'PS-3F2A-9C1B-1111-AAA8-A' })).toEqual({
      resolution: 'follow-up',
      caseReference: 'PS-3F2A-9C1B-1111-AAA8-A',
    });
    expect(parseResolution({ caseReference: 'ps-3f2a-9c1b-1111-aaa8-a' })).toEqual({
      resolution: 'follow-up',
      caseReference: 'PS-3F2A-9C1B-1111-AAA8-A',
    });
    expect(parseResolution({ caseId: CASE_ID.toUpperCase() })).toEqual({ resolution: 'follow-up', caseId: CASE_ID });
  });

  it('nothing: asks for tenant and service, and mentions the existing-case alternative', () => {
    const errors = refusal({});
    expect(errors.map((e) => e.field)).toEqual(['tenantArs', 'leikaKey']);
    expect(errors[0]!.message).toMatch(/caseReference or caseId/);
    expect(fields(undefined)).toEqual(['tenantArs', 'leikaKey']);
  });

  it('half a new case: the missing field is named', () => {
    expect(fields({ tenantArs: ARS })).toEqual(['leikaKey']);
    expect(fields({ leikaKey: LEIKA })).toEqual(['tenantArs']);
  });

  it('bad formats are named once per field', () => {
    expect(fields({ tenantArs: '12', leikaKey: LEIKA })).toEqual(['tenantArs']);
    expect(fields({ tenantArs: ARS, leikaKey: '12345678901234' })).toEqual(['leikaKey']);
    expect(fields({ caseReference: 'AZ-4711' })).toEqual(['caseReference']);
    expect(fields({ caseReference: 'PS-3F2A-9C1B-1111-AAA8-A0' })).toEqual(['caseReference']);
    expect(fields({ caseId: 'not-a-uuid' })).toEqual(['caseId']);
    expect(fields({ caseId: 42 })).toEqual(['caseId']);
  });

  it('a new case and an existing case at once: the existing-case fields are refused', () => {
    const errors = refusal({ tenantArs: ARS, leikaKey: LEIKA, caseReference: 'PS-3F2A-9C1B-1111-AAA8-A' });
    expect(errors).toEqual([
      { field: 'caseReference', message: expect.stringMatching(/must not be combined with tenantArs\/leikaKey/) as unknown },
    ]);
    expect(fields({ tenantArs: ARS, caseId: CASE_ID })).toEqual(['caseId']);
  });

  it('case reference and case id together are refused', () => {
    expect(fields({ caseReference: 'PS-3F2A-9C1B-1111-AAA8-A', caseId: CASE_ID })).toEqual(['caseId']);
  });

  it('unknown properties and non-objects are refused', () => {
    expect(fields({ tenantArs: ARS, leikaKey: LEIKA, note: 'x' })).toEqual(['note']);
    expect(fields({ caseReference: 'PS-3F2A-9C1B-1111-AAA8-A', resolution: 'follow-up' })).toEqual(['resolution']);
    expect(fields([])).toContain('$');
    expect(fields('PS-3F2A-9C1B-1111-AAA8-A')).toContain('$');
  });
});
