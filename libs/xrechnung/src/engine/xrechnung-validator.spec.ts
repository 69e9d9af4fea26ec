import * as fs from 'node:fs';
import * as path from 'node:path';
import { listXml } from '../../test/testdata';
import { renderReportHtml } from '../report/render-report-html';
import { XRechnungValidator } from './xrechnung-validator';

// Needs the rules built by `npm run build:rules` (scripts/test.sh does it before the unit tests).
// Generous timeouts: the machine's cores are shared, and Schematron runs take ~100–300 ms each.
jest.setTimeout(60_000);

describe('XRechnungValidator', () => {
  let validator: XRechnungValidator;
  beforeAll(async () => {
    validator = await XRechnungValidator.start({ workers: 2, maxDocumentBytes: 2 * 1024 * 1024 });
  }, 120_000);
  afterAll(() => validator?.close());

  const valid = listXml('valid');

  it('finds the 50 official KoSIT test suite invoices', () => {
    expect(valid).toHaveLength(50);
  });

  it.each(valid.map((f) => [path.basename(f), f]))('accepts %s with no error', async (_name, file) => {
    const report = await validator.validate(fs.readFileSync(file));
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report).toMatchObject({ accepted: true, errorCount: 0 });
    expect(report.scenario).toMatch(/^XRechnung 3\.0/);
    expect(report.summary.invoiceNumber).toBeTruthy();
    expect(report.summary.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('rejects malformed XML with the parser position', async () => {
    const report = await validator.validate('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID>1</Invoice>');
    expect(report.accepted).toBe(false);
    expect(report.findings[0]).toMatchObject({ layer: 'input', ruleId: 'XML-NOT-WELL-FORMED', severity: 'error' });
    expect(report.findings[0]?.location).toMatch(/^line \d+:\d+$/);
  });

  it('rejects a wrong root element', async () => {
    const report = await validator.validate('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>');
    expect(report).toMatchObject({ accepted: false, findings: [{ ruleId: 'INPUT-UNSUPPORTED-ROOT', location: '/Order' }] });
  });

  it('rejects an external-entity payload without resolving it', async () => {
    const xxe = fs
      .readFileSync(valid[0] as string, 'utf8')
      .replace(/<(\w+:)?Invoice\b/, '<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n$&')
      .replace(/<cbc:Note>[^<]*<\/cbc:Note>/, '<cbc:Note>&xxe;</cbc:Note>');
    const report = await validator.validate(xxe);
    expect(report).toMatchObject({ accepted: false, findings: [{ ruleId: 'INPUT-DOCTYPE' }] });
    expect(JSON.stringify(report)).not.toContain('root:');
  });

  it('rejects an oversized document before parsing it', async () => {
    const report = await validator.validate(Buffer.alloc(2 * 1024 * 1024 + 1, 0x20));
    expect(report).toMatchObject({ accepted: false, sizeBytes: 2 * 1024 * 1024 + 1, findings: [{ ruleId: 'INPUT-TOO-LARGE' }] });
  });

  it('rejects a schema-invalid invoice with XSD findings and keeps running the Schematron', async () => {
    const broken = fs.readFileSync(valid[0] as string, 'utf8').replace(/<cbc:IssueDate>/, '<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>');
    const report = await validator.validate(broken);
    expect(report.accepted).toBe(false);
    expect(report.findings.some((f) => f.layer === 'xsd' && f.severity === 'error')).toBe(true);
  });

  it('rejects an invoice whose customization id (BT-24) has no scenario', async () => {
    const other = fs
      .readFileSync(valid[0] as string, 'utf8')
      .replace(/<cbc:CustomizationID>[^<]*</, '<cbc:CustomizationID>urn:cen.eu:en16931:2017<');
    const report = await validator.validate(other);
    expect(report.accepted).toBe(false);
    expect(report.findings[0]).toMatchObject({ layer: 'scenario', ruleId: 'KOSIT-NO-SCENARIO', severity: 'error' });
  });

  it('reports Schematron errors with rule id, severity, XPath and message, and renders them as HTML', async () => {
    const noBuyerRef = fs.readFileSync(valid[0] as string, 'utf8').replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '');
    const report = await validator.validate(noBuyerRef);
    expect(report.accepted).toBe(false);
    const brDe15 = report.findings.find((f) => f.ruleId === 'BR-DE-15');
    expect(brDe15).toMatchObject({ layer: 'xrechnung', severity: 'error' });
    expect(brDe15?.location).toMatch(/^\/\*:Invoice/);
    expect(brDe15?.message).toMatch(/\S/);
    const html = renderReportHtml(report);
    expect(html).toContain('REJECTED');
    expect(html).toContain('BR-DE-15');
  });

  describe('KoSIT scenario levels (customLevel in scenarios.xml)', () => {
    const extensionCii = valid.find((f) => path.basename(f) === '04.05a-INVOICE_uncefact.xml') as string;
    const EXTENSION_ID =
      'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0';

    it('runs the EN 16931 rules on an extension CII invoice and reports its XRechnung identifier schemes as warnings', async () => {
      const report = await validator.validate(fs.readFileSync(extensionCii));
      expect(report).toMatchObject({ accepted: true, scenario: 'XRechnung 3.0 Extension' });
      const brCl10 = report.findings.filter((f) => f.ruleId === 'BR-CL-10');
      expect(brCl10.length).toBeGreaterThan(0);
      expect(brCl10.every((f) => f.layer === 'en16931' && f.severity === 'warning')).toBe(true);
    });

    it('rejects the same identifier schemes under the standard XRechnung scenario', async () => {
      const standard = fs
        .readFileSync(extensionCii, 'utf8')
        .replace(EXTENSION_ID, 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0');
      const report = await validator.validate(standard);
      expect(report).toMatchObject({ accepted: false, scenario: 'XRechnung 3.0' });
      expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'BR-CL-10', severity: 'error' })]));
    });

    it('treats an unknown item standard identifier scheme (BR-CL-21) as a warning in the standard scenario', async () => {
      const ubl = valid.find((f) => path.basename(f) === '01.01a-INVOICE_ubl.xml') as string;
      const unknownScheme = fs
        .readFileSync(ubl, 'utf8')
        .replace(
          '</cac:SellersItemIdentification>',
          '</cac:SellersItemIdentification><cac:StandardItemIdentification><cbc:ID schemeID="XX">4012345678901</cbc:ID></cac:StandardItemIdentification>',
        );
      const report = await validator.validate(unknownScheme);
      expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'BR-CL-21', severity: 'warning' })]));
      expect(report.accepted).toBe(true);
    });
  });

  it('counts Schematron warnings without rejecting', async () => {
    const reports = await Promise.all(valid.slice(0, 6).map((f) => validator.validate(fs.readFileSync(f))));
    const warnings = reports.flatMap((r) => r.findings);
    expect(warnings.every((f) => f.severity === 'warning')).toBe(true);
  });
});
