import { type ValidationReport } from '@poststelle/xrechnung';
import { MAX_LISTED_FINDINGS, composeInvoiceReply } from './invoice-reply';

const report = (over: Partial<ValidationReport>): ValidationReport => ({
  accepted: true,
  documentSha256: 'a'.repeat(64),
  sizeBytes: 1000,
  syntax: 'ubl-invoice',
  rules: { xrechnung: '3.0.2', en16931: '1.3.15' },
  summary: { invoiceNumber: '123456XX', issueDate: '2016-04-04', buyerReference: '04011000-12345-03' },
  errorCount: 0,
  warningCount: 0,
  findings: [],
  ...over,
});
const ID = '3f2a9c1b-0000-4000-8000-000000000001';

describe('composeInvoiceReply', () => {
  it('confirms an accepted invoice with its number, our reference and the authority', () => {
    const r = composeInvoiceReply({ invoiceId: ID, report: report({}), fileName: 'rechnung.xml', authorityName: 'Stadt Bremen, Finanzen' });
    expect(r.attachReport).toBe(false);
    expect(r.subject).toBe('E-Rechnung 123456XX eingegangen');
    expect(r.body).toContain(`Eingangsreferenz: ${ID}`);
    expect(r.body).toContain('(Stadt Bremen, Finanzen)');
    expect(r.body).not.toContain('Doppelung');
  });

  it('says when the invoice looks like one already received', () => {
    const r = composeInvoiceReply({ invoiceId: ID, report: report({}), fileName: 'r.xml', duplicateOf: 'earlier-id' });
    expect(r.body).toContain('Eingangsreferenz earlier-id');
  });

  it('lists the errors of a rejected invoice, one line each, and attaches the report', () => {
    const findings = Array.from({ length: MAX_LISTED_FINDINGS + 5 }, (_, i) => ({
      layer: 'xrechnung' as const,
      ruleId: `BR-DE-${i}`,
      severity: 'error' as const,
      location: '/Invoice',
      message: `broken\nrule ${i}`,
    }));
    const r = composeInvoiceReply({
      invoiceId: ID,
      report: report({ accepted: false, errorCount: findings.length, findings }),
      fileName: 'r.xml',
    });
    expect(r.attachReport).toBe(true);
    expect(r.subject).toBe(`E-Rechnung 123456XX abgelehnt: ${findings.length} Fehler`);
    expect(r.body).toContain('- [BR-DE-0] broken rule 0 (/Invoice)');
    expect(r.body).not.toContain('BR-DE-34');
    expect(r.body).toContain('… und 5 weitere');
  });

  it('names the file when the document had no readable invoice number', () => {
    const r = composeInvoiceReply({
      invoiceId: ID,
      report: report({
        accepted: false,
        errorCount: 1,
        summary: {},
        findings: [{ layer: 'input', ruleId: 'INPUT-DOCTYPE', severity: 'error', location: '/', message: 'no DTDs' }],
      }),
      fileName: 'evil.xml',
    });
    expect(r.subject).toBe('E-Rechnung evil.xml abgelehnt: 1 Fehler');
  });
});
