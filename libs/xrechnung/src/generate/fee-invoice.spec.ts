import { XRechnungValidator } from '../engine/xrechnung-validator';
import { XRechnungErrorCode } from '../xrechnung.exception';
import { feeInvoiceMinimal, feeInvoiceO, feeInvoiceS } from '../../test/fee-invoice.fixtures';
import { PEPPOL_BILLING_PROFILE_ID, XRECHNUNG_CUSTOMIZATION_ID, computeTotals, type FeeInvoice } from './fee-invoice';
import { generateCii } from './generate-cii';
import { generateUbl } from './generate-ubl';
import { readFeeInvoice } from './read-fee-invoice';
import { renderInvoiceHtml } from './render-invoice-html';

// Needs the rules built by `npm run build:rules`. Generous timeouts: the machine's cores are shared.
jest.setTimeout(60_000);

const variants: [string, () => FeeInvoice][] = [
  ['category O with all optional terms', () => feeInvoiceO()],
  ['category O, minimal (no delivery date), two lines, characters that need escaping', feeInvoiceMinimal],
  ['category S 19 % with seller VAT id', feeInvoiceS],
];
const syntaxes = [
  ['UBL', generateUbl],
  ['CII', generateCii],
] as const;
const cases = variants.flatMap(([name, make]) => syntaxes.map(([syntax, generate]) => [`${syntax}: ${name}`, make, generate] as const));

describe('fee invoice generator', () => {
  let validator: XRechnungValidator;
  beforeAll(async () => {
    validator = await XRechnungValidator.start({ workers: 2 });
  }, 120_000);
  afterAll(() => validator?.close());

  it.each(cases)('%s is accepted by the engine with zero errors', async (_name, make, generate) => {
    const report = await validator.validate(generate(make()));
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report).toMatchObject({ accepted: true, errorCount: 0 });
    expect(report.scenario).toMatch(/^XRechnung 3\.0/);
    // With a delivery date (BT-72) not even a warning; without one only KoSIT's BR-DE-TMP-32 hint.
    const warnings = report.findings.filter((f) => f.severity === 'warning').map((f) => f.ruleId);
    expect(warnings).toEqual(make().deliveryDate ? [] : ['BR-DE-TMP-32']);
  });

  it.each(cases)('%s round-trips every business term it sets', async (_name, make, generate) => {
    const invoice = make();
    const read = await readFeeInvoice(generate(invoice));
    expect(read.invoice).toEqual(invoice);
    expect(read.totals).toEqual(computeTotals(invoice));
    expect(read).toMatchObject({
      customizationId: XRECHNUNG_CUSTOMIZATION_ID,
      profileId: PEPPOL_BILLING_PROFILE_ID,
      typeCode: '380',
      paymentMeansCode: '58',
    });
  });

  it('computes totals in cents: O has VATEX-EU-O and rate 0, S rounds the VAT half up', () => {
    expect(computeTotals(feeInvoiceMinimal())).toEqual({
      lineTotal: '44.49',
      taxExclusive: '44.49',
      vatTotal: '0.00',
      taxInclusive: '44.49',
      payable: '44.49',
      lineAmounts: ['39.99', '4.50'],
      breakdown: { taxableAmount: '44.49', taxAmount: '0.00', category: 'O', rate: '0', exemptionReasonCode: 'VATEX-EU-O' },
    });
    expect(computeTotals(feeInvoiceS())).toMatchObject({
      lineTotal: '199.98',
      vatTotal: '38.00',
      payable: '237.98',
      breakdown: { taxableAmount: '199.98', taxAmount: '38.00', category: 'S', rate: '19' },
    });
  });

  it('writes the Kassenzeichen as remittance information and escapes markup', () => {
    const ubl = generateUbl(feeInvoiceMinimal());
    expect(ubl).toContain('<cbc:PaymentID>KZ 11000-2026-000001</cbc:PaymentID>');
    expect(ubl).toContain('<cbc:RegistrationName>Ärztekammer &quot;Nord&quot; &amp; Partner</cbc:RegistrationName>');
    expect(ubl).toContain('<cbc:BuyerReference>Bestellung 4711 &lt;Einkauf&gt;</cbc:BuyerReference>');
    expect(generateCii(feeInvoiceO())).toContain('<ram:PaymentReference>04011-2026-000042</ram:PaymentReference>');
  });

  it('refuses a seller VAT id with category O and a missing one with category S', () => {
    const withVatId = feeInvoiceO({ seller: { ...feeInvoiceO().seller, vatId: 'DE123456789' } });
    expect(() => generateUbl(withVatId)).toThrow(/BR-O-02/);
    try {
      generateUbl(withVatId);
    } catch (error) {
      expect(error).toMatchObject({ code: XRechnungErrorCode.InvalidInvoiceModel });
    }
    const s = feeInvoiceS();
    expect(() => generateCii({ ...s, seller: { ...s.seller, vatId: undefined } })).toThrow(/BR-S-02/);
    expect(() => generateUbl(feeInvoiceO({ lines: [] }))).toThrow(/at least one line/);
  });

  it('engine rejects what it must: a generated invoice without BT-10 fails BR-DE-15', async () => {
    const report = await validator.validate(generateUbl(feeInvoiceO()).replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>\n\s*/, ''));
    expect(report.accepted).toBe(false);
    expect(report.findings.map((f) => f.ruleId)).toContain('BR-DE-15');
  });

  it('renders a readable HTML page with the Kassenzeichen and the IBAN, escaped', async () => {
    const html = renderInvoiceHtml(await readFeeInvoice(generateCii(feeInvoiceMinimal())));
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('KZ 11000-2026-000001');
    expect(html).toContain('DE02120300000000202051');
    expect(html).toContain('Ärztekammer &quot;Nord&quot; &amp; Partner');
    expect(html).not.toContain('<Einkauf>');
  });

  it('drops characters XML cannot carry', () => {
    const xml = generateUbl(feeInvoiceO({ buyerReference: 'A\u0000B\u001fC' }));
    expect(xml).toContain('<cbc:BuyerReference>ABC</cbc:BuyerReference>');
  });
});
