import {
  classifyDocument,
  keywordScore,
  normaliseText,
  parseCoverSheetBarcode,
  scanCaseReferences,
  type ClassificationRule,
} from './scan-rules';

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
    ['POSTSTELLE:1;case=ps-3f2a9c1b', { caseReference: 'PS-3F2A9C1B' }],
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
      scanCaseReferences({ caseReference: 'PS-0000000A' }, ['POSTSTELLE:1;case=PS-0000000B'], 'Ihr Zeichen PS-0000000c und PS-0000000A'),
    ).toEqual(['PS-0000000A', 'PS-0000000B', 'PS-0000000C']);
    expect(scanCaseReferences({}, [], 'kein Bezug')).toEqual([]);
  });
});
