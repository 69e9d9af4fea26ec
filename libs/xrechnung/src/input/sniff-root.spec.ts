import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { sniffInvoice } from './sniff-root';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const VALID = resolve(__dirname, '../../../../../shared/testdata/xrechnung/valid');

describe('sniffInvoice', () => {
  it('recognises every official XRechnung sample by its root element', () => {
    const files = readdirSync(VALID).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const r = sniffInvoice(readFileSync(resolve(VALID, f)));
      expect({ f, kind: r.kind }).toEqual({ f, kind: 'invoice' });
      if (r.kind === 'invoice') expect({ f, cii: r.syntax === 'cii' }).toEqual({ f, cii: f.includes('uncefact') });
    }
  });

  it.each([
    [
      'UBL Invoice, default namespace',
      '<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
      'ubl-invoice',
    ],
    ['UBL CreditNote, prefixed', '<cn:CreditNote xmlns:cn="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>', 'ubl-creditnote'],
    [
      'CII after a BOM, comments and a PI',
      '\uFEFF<?xml version="1.0"?>\n<!-- a > b --><?pi x?>\n<rsm:CrossIndustryInvoice xmlns:a="x" xmlns:rsm=\'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\'>',
      'cii',
    ],
  ])('%s', (_label, xml, syntax) => {
    expect(sniffInvoice(enc(xml))).toMatchObject({ kind: 'invoice', syntax });
  });

  it('steps over a DOCTYPE without resolving anything, so the validator can reject it with a report', () => {
    const hostile =
      '<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "]>">]>' +
      '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;&y;</Invoice>';
    expect(sniffInvoice(enc(hostile))).toMatchObject({ kind: 'invoice', syntax: 'ubl-invoice' });
    const laughs = '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>';
    expect(sniffInvoice(enc(laughs))).toEqual({ kind: 'xml', root: { qname: 'l', localName: 'l' } });
  });

  it.each([
    ['an Order', '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'],
    ['an Invoice in no namespace', '<Invoice><ID>1</ID></Invoice>'],
    [
      'an Invoice whose prefix is bound elsewhere',
      '<u:Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:u="urn:x"/>',
    ],
    ['form data', '<antrag><leikaKey>99050012104000</leikaKey></antrag>'],
  ])('an XML document that is not an invoice: %s', (_label, xml) => {
    expect(sniffInvoice(enc(xml)).kind).toBe('xml');
  });

  it.each([
    ['a PDF (ZUGFeRD / Factur-X is out of scope)', '%PDF-1.7\n<</Type/EmbeddedFile>>'],
    ['plain text', 'Sehr geehrte Damen und Herren'],
    ['an unterminated comment', '<!-- <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'],
    ['an unterminated DOCTYPE', '<!DOCTYPE Invoice [ <!ENTITY x "y">'],
    ['nothing', ''],
  ])('not XML: %s', (_label, text) => {
    expect(sniffInvoice(enc(text))).toEqual({ kind: 'not-xml' });
  });

  it('looks only at the head of a large document', () => {
    const big = Buffer.concat([
      enc('<!--'),
      Buffer.alloc(200 * 1024, 0x61),
      enc('--><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'),
    ]);
    expect(sniffInvoice(big)).toEqual({ kind: 'not-xml' });
  });
});
