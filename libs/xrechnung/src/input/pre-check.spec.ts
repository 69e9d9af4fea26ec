import { preCheck } from './pre-check';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const UBL = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>';

describe('preCheck', () => {
  it('detects the syntax from the root element namespace', () => {
    expect(preCheck(enc(UBL))).toMatchObject({ ok: true, syntax: 'ubl-invoice' });
    expect(preCheck(enc('<cn:CreditNote xmlns:cn="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>'))).toMatchObject({
      ok: true,
      syntax: 'ubl-creditnote',
    });
    expect(
      preCheck(
        enc(
          '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"></rsm:CrossIndustryInvoice>',
        ),
      ),
    ).toMatchObject({ ok: true, syntax: 'cii' });
  });

  it.each([
    ['an empty body', '', 'INPUT-EMPTY'],
    ['a DOCTYPE', '<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>', 'INPUT-DOCTYPE'],
    ['a billion-laughs payload', '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><l>&b;</l>', 'INPUT-DOCTYPE'],
    ['a wrong root element', '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', 'INPUT-UNSUPPORTED-ROOT'],
    ['an Invoice in no namespace', '<Invoice/>', 'INPUT-UNSUPPORTED-ROOT'],
    ['plain text', 'hello', 'INPUT-NOT-XML'],
    ['a non-UTF-8 encoding', '<?xml version="1.0" encoding="ISO-8859-1"?><Invoice/>', 'INPUT-ENCODING'],
  ])('rejects %s', (_label, body, ruleId) => {
    const result = preCheck(enc(body));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.findings[0]).toMatchObject({ layer: 'input', ruleId, severity: 'error' });
  });

  it('rejects invalid UTF-8 bytes', () => {
    const result = preCheck(Uint8Array.from([0x3c, 0x61, 0xff, 0x3e]));
    expect(result).toMatchObject({ ok: false, findings: [{ ruleId: 'INPUT-ENCODING' }] });
  });

  it('rejects documents above the size cap before decoding them', () => {
    const result = preCheck(enc(UBL + ' '.repeat(2000)), 1000);
    expect(result).toMatchObject({ ok: false, findings: [{ ruleId: 'INPUT-TOO-LARGE' }] });
  });
});
