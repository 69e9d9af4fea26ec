import { type ScanIndexDocumentDto, type ScanIndexDto } from './scan-index';
import {
  classifyDocument,
  keywordScore,
  normaliseText,
  parseCoverSheetBarcode,
  resolveCaseReference,
  scanCaseReferences,
  unknownCaseReferenceReview,
  type CaseTarget,
  type ClassificationRule,
  type ScanDocumentFacts,
} from './scan-rules';
import { buildScanSubmission } from './scan-submission';

const PARKING = '99050012104000';
const BUILDING = '99108012003000';
const TENANT = '120540000000';
const rules: ClassificationRule[] = [
  { ruleId: 'parking', leikaKey: PARKING, formIds: ['PARK-1'], keywords: ['Bewohnerparkausweis', 'Kennzeichen', 'Parkausweis'] },
  { ruleId: 'building', leikaKey: BUILDING, tenantArs: '120600000000', formIds: ['BAU-01'], keywords: ['Bauantrag', 'Grundstück'] },
];
const base = { barcodes: [], text: '', rules, threshold: 0.6, batchTenantArs: TENANT };

describe('cover-sheet barcode', () => {
  it.each([
    [`POSTSTELLE:1;leika=${PARKING};ars=${TENANT}`, { leikaKey: PARKING, tenantArs: TENANT }],
    [`poststelle:1; ARS=${TENANT} ; LEIKA=${PARKING}`, { leikaKey: PARKING, tenantArs: TENANT }],
    ['POSTSTELLE:1;case=ps-3f2a-9c1b-1111-aaa8-a', { caseReference: 'PS-3F2A-9C1B-1111-AAA8-A' }],
    [`POSTSTELLE:1;leika=12345;ars=${TENANT}`, undefined],
    ['POSTSTELLE:2;leika=99050012104000', undefined],
    ['https://example.org/qr', undefined],
    ['', undefined],
  ])('%s', (content, expected) => {
    expect(parseCoverSheetBarcode(content)).toEqual(expected);
  });
});

describe('classification', () => {
  it('a cover-sheet barcode wins with confidence 1 (tenant from the sheet, else the batch)', () => {
    expect(
      classifyDocument({ ...base, barcodes: ['noise', `POSTSTELLE:1;leika=${BUILDING};ars=120600000000`], text: 'Bewohnerparkausweis' }),
    ).toEqual({
      kind: 'service',
      leikaKey: BUILDING,
      tenantArs: '120600000000',
      confidence: 1,
      method: 'barcode',
    });
    expect(classifyDocument({ ...base, barcodes: [`POSTSTELLE:1;leika=${PARKING}`] })).toMatchObject({
      tenantArs: TENANT,
      method: 'barcode',
    });
  });

  it('then the form id of the index, with the rule tenant', () => {
    expect(classifyDocument({ ...base, formId: 'BAU-01' })).toMatchObject({
      kind: 'service',
      leikaKey: BUILDING,
      tenantArs: '120600000000',
      method: 'form-id',
    });
  });

  it('then the text: share of keywords found, umlauts and case folded, whole words only', () => {
    expect(normaliseText('Grundstück  AM Hang-3')).toBe('grundstueck am hang 3');
    expect(keywordScore(normaliseText('Antrag Bewohnerparkausweis, Kennzeichen P-AB 1'), rules[0]!.keywords)).toBeCloseTo(0.667, 3);
    expect(classifyDocument({ ...base, text: 'Antrag auf Bewohnerparkausweis – Kennzeichen P-AB 123' })).toEqual({
      kind: 'service',
      leikaKey: PARKING,
      tenantArs: TENANT,
      confidence: 0.667,
      method: 'text',
    });
  });

  it('below the threshold, ambiguous, without tenant or without any match: manual classification with candidates', () => {
    expect(classifyDocument({ ...base, text: 'mein Parkausweis' })).toMatchObject({
      kind: 'manual',
      reasonCode: 'low-confidence',
      confidence: 0.333,
      candidates: [{ leikaKey: PARKING, tenantArs: TENANT, score: 0.333 }],
    });
    expect(classifyDocument({ ...base, text: 'nichts', threshold: 0.6 })).toMatchObject({
      kind: 'manual',
      reasonCode: 'no-match',
      confidence: 0,
    });
    const { batchTenantArs: _, ...noTenant } = base;
    expect(classifyDocument({ ...noTenant, text: 'Bewohnerparkausweis Kennzeichen Parkausweis' })).toMatchObject({
      kind: 'manual',
      reasonCode: 'no-tenant',
    });
    const twins: ClassificationRule[] = [
      { ruleId: 'a', leikaKey: PARKING, formIds: [], keywords: ['Antrag'] },
      { ruleId: 'b', leikaKey: BUILDING, formIds: [], keywords: ['Antrag'] },
    ];
    expect(classifyDocument({ ...base, rules: twins, text: 'Antrag' })).toMatchObject({
      kind: 'manual',
      reasonCode: 'ambiguous',
      confidence: 0.5,
    });
  });
});

describe('case references of a scanned follow-up', () => {
  it('index first, then cover-sheet barcode, then the text; deduplicated', () => {
    expect(
      scanCaseReferences(
        { caseReference: 'PS-0000-000A-0000-0000-D' },
        ['POSTSTELLE:1;case=PS-0000-000B-0000-0000-B'],
        'Ihr Zeichen PS-0000-000c-0000-0000-9 und PS-0000-000A-0000-0000-D',
      ),
    ).toEqual(['PS-0000-000A-0000-0000-D', 'PS-0000-000B-0000-0000-B', 'PS-0000-000C-0000-0000-9']);
    expect(scanCaseReferences({}, [], 'kein Bezug')).toEqual([]);
  });

  const existing: Record<string, CaseTarget> = { 'PS-0000-000E-0000-0000-5': { caseId: 'c-existing', tenantArs: TENANT } };
  const lookup = jest.fn((ref: string) => Promise.resolve(existing[ref] ? [existing[ref]] : []));
  beforeEach(() => lookup.mockClear());

  it('an explicit reference (index or cover sheet) naming an existing case makes a follow-up', async () => {
    expect(await resolveCaseReference({ caseReference: 'PS-0000-000E-0000-0000-5' }, [], '', lookup)).toEqual({
      kind: 'follow-up',
      reference: 'PS-0000-000E-0000-0000-5',
      target: existing['PS-0000-000E-0000-0000-5'],
    });
    expect(await resolveCaseReference({}, ['POSTSTELLE:1;case=PS-0000-000E-0000-0000-5'], '', lookup)).toMatchObject({ kind: 'follow-up' });
  });

  it('an explicit reference naming no case is unknown (a clerk decides), even when the text quotes an existing case', async () => {
    expect(
      await resolveCaseReference({ caseReference: 'PS-DEAD-BEEF-0000-0000-D' }, [], 'Ihr Zeichen PS-0000-000E-0000-0000-5', lookup),
    ).toEqual({
      kind: 'unknown-reference',
      references: ['PS-DEAD-BEEF-0000-0000-D'],
    });
    expect(lookup).not.toHaveBeenCalledWith('PS-0000-000E-0000-0000-5');
    expect(await resolveCaseReference({}, ['POSTSTELLE:1;case=PS-DEAD-BEEF-0000-0000-D'], '', lookup)).toEqual({
      kind: 'unknown-reference',
      references: ['PS-DEAD-BEEF-0000-0000-D'],
    });
    // A reference shared by two cases names no single case either.
    const twice = jest.fn(() => Promise.resolve([existing['PS-0000-000E-0000-0000-5']!, { caseId: 'c-other', tenantArs: TENANT }]));
    expect(await resolveCaseReference({ caseReference: 'PS-0000-000E-0000-0000-5' }, [], '', twice)).toMatchObject({
      kind: 'unknown-reference',
    });
  });

  it("references only in the OCR text keep today's behaviour: a follow-up when one names a case, else nothing", async () => {
    expect(await resolveCaseReference({}, [], 'Aktenzeichen PS-0000-000E-0000-0000-5', lookup)).toMatchObject({
      kind: 'follow-up',
      reference: 'PS-0000-000E-0000-0000-5',
    });
    expect(await resolveCaseReference({}, [], 'Aktenzeichen PS-DEAD-BEEF-0000-0000-D', lookup)).toEqual({ kind: 'none' });
    expect(await resolveCaseReference({}, [], 'kein Bezug', lookup)).toEqual({ kind: 'none' });
  });

  it('the queue item for an unknown reference says which reference and keeps the classifier view for the clerk', () => {
    const byText = classifyDocument({ ...base, text: 'Bewohnerparkausweis Kennzeichen Parkausweis' });
    expect(unknownCaseReferenceReview(['PS-DEAD-BEEF-0000-0000-D'], byText)).toEqual({
      confidence: 1,
      reasonCode: 'unknown-case-reference',
      reason: expect.stringContaining('PS-DEAD-BEEF-0000-0000-D') as unknown,
      candidates: [{ leikaKey: PARKING, tenantArs: TENANT, score: 1 }],
    });
    const none = classifyDocument({ ...base, text: 'nichts' });
    expect(unknownCaseReferenceReview(['PS-DEAD-BEEF-0000-0000-D'], none)).toMatchObject({ confidence: 0, candidates: [] });
  });
});

describe('scanned document → submission: reply channel', () => {
  const ERIKA_ADDRESS = { street: 'Musterweg', houseNumber: '1', postalCode: '14467', city: 'Potsdam' };
  const facts = (document: Partial<ScanIndexDocumentDto>, form?: ScanDocumentFacts['form']): ScanDocumentFacts => ({
    index: { batchId: 'B-1', scanCentre: 'Scanzentrum', scannedAt: '2026-11-30T08:00:00Z' } as ScanIndexDto,
    indexSha512: 'a'.repeat(128),
    document: { documentId: 'd1', fileName: 'a.pdf', handwrittenSignature: false, ...document } as ScanIndexDocumentDto,
    documentSha512: 'b'.repeat(128),
    pageCount: 1,
    textSource: 'text-layer',
    text: 'Antrag',
    barcodes: [],
    ...(form ? { form } : {}),
    attachments: [],
  });
  const replyOf = (f: ScanDocumentFacts) => buildScanSubmission(f, { leikaKey: PARKING, tenantArs: TENANT }, 'text')['replyChannel'];

  it('e-mail wins when the index names one, even with a full postal address', () => {
    const f = facts({ applicant: { givenName: 'Erika', familyName: 'Mustermann', email: 'erika@example.org', ...ERIKA_ADDRESS } });
    expect(replyOf(f)).toEqual({ eMail: { address: 'erika@example.org' } });
  });

  it('without e-mail, a letter to the name and complete postal address of the index; the address also goes on the applicant', () => {
    const f = facts({ applicant: { givenName: 'Erika', familyName: 'Mustermann', ...ERIKA_ADDRESS, country: 'DE' } });
    const submission = buildScanSubmission(f, { leikaKey: PARKING, tenantArs: TENANT }, 'text');
    expect(submission['replyChannel']).toEqual({ postal: { name: 'Erika Mustermann', address: { ...ERIKA_ADDRESS, country: 'DE' } } });
    expect(submission['applicant']).toEqual({
      kind: 'natural',
      givenName: 'Erika',
      familyName: 'Mustermann',
      address: { ...ERIKA_ADDRESS, country: 'DE' },
    });
  });

  it('a legal person is written to as the organisation', () => {
    const f = facts({ applicant: { kind: 'legal', organisation: 'Musterbau GmbH', givenName: 'Max', ...ERIKA_ADDRESS } });
    expect(replyOf(f)).toEqual({ postal: { name: 'Musterbau GmbH', address: ERIKA_ADDRESS } });
  });

  it('the application form applicant counts first: its e-mail, else its postal address', () => {
    const form = (applicant: Record<string, unknown>) => ({ schemaUri: 'urn:form', data: {}, applicant });
    const withEmail = facts({ applicant: { familyName: 'Index', ...ERIKA_ADDRESS } }, form({ kind: 'natural', email: 'form@example.org' }));
    expect(replyOf(withEmail)).toEqual({ eMail: { address: 'form@example.org' } });
    const postalOnly = facts({}, form({ kind: 'natural', familyName: 'Mustermann', address: ERIKA_ADDRESS }));
    expect(replyOf(postalOnly)).toEqual({ postal: { name: 'Mustermann', address: ERIKA_ADDRESS } });
  });

  it('no reply channel without e-mail and without a complete postal address (name, street, postal code, city)', () => {
    expect(replyOf(facts({}))).toEqual({});
    expect(replyOf(facts({ applicant: { givenName: 'Erika', postalCode: '14467', city: 'Potsdam' } }))).toEqual({});
    expect(replyOf(facts({ applicant: { street: 'Musterweg', postalCode: '14467', city: 'Potsdam' } }))).toEqual({});
    expect(replyOf(facts({ applicant: { familyName: 'Mustermann', street: 'Musterweg', city: 'Potsdam' } }))).toEqual({});
    const fragment = buildScanSubmission(
      facts({ applicant: { familyName: 'Mustermann', city: 'Potsdam' } }),
      { leikaKey: PARKING, tenantArs: TENANT },
      'text',
    );
    expect([fragment['applicant'], fragment['replyChannel']]).toEqual([{ kind: 'natural', familyName: 'Mustermann' }, {}]);
  });
});
