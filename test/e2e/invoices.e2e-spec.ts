import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KafkaProbe, Stack } from '@poststelle/testing';

const VALID = resolve(__dirname, '../../../shared/testdata/xrechnung/valid');
const sample = (name: string) => readFileSync(resolve(VALID, name));

interface Report {
  accepted: boolean;
  errorCount: number;
  findings: { ruleId: string; severity: string; message: string }[];
}

describe('erechnung: inbound e-invoices over HTTP', () => {
  let stack: Stack;
  let probe: KafkaProbe;

  const post = (body: Buffer | string, contentType = 'application/xml') =>
    stack.json<{ invoiceId: string; accepted: boolean; destination: string; duplicateOf: string | null; report: Report }>(
      'erechnung',
      '/v1/invoices',
      {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      },
    );

  beforeAll(async () => {
    stack = await new Stack().start();
    const seed = await stack.json('erechnung', '/v1/admin/leitweg-ids/04011000-12345-03', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantArs: '040110000000', name: 'Stadt Bremen, Finanzen', destination: 'sap-fi-bremen' }),
    });
    expect(seed.status).toBe(200);
    probe = await new KafkaProbe().start([stack.topic('invoices.events.v1')]);
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await stack?.stop();
  }, 60000);

  it('accepts an official XRechnung sample, routes it by its Leitweg-ID and flags the second copy as a duplicate', async () => {
    const first = await post(sample('01.01a-INVOICE_ubl.xml'));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: true, destination: 'sap-fi-bremen', duplicateOf: null });
    expect(first.body.report.errorCount).toBe(0);
    const [event] = await probe.waitForCount((m) => m.key === first.body.invoiceId, 1);
    expect(JSON.parse(event!.value!)).toMatchObject({
      type: 'invoice.received',
      payload: { leitwegId: '04011000-12345-03', tenantArs: '040110000000' },
    });

    const again = await post(sample('01.01a-INVOICE_ubl.xml'));
    expect(again.status).toBe(202);
    expect(again.body.duplicateOf).toBe(first.body.invoiceId);

    const html = await stack.fetch('erechnung', `/v1/invoices/${first.body.invoiceId}/report`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('<html');
  }, 120000);

  it('rejects a valid invoice whose Leitweg-ID no authority here receives, with the report', async () => {
    const res = await stack.json<{ status: number; report: Report; invoiceId: string }>('erechnung', '/v1/invoices', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: sample('01.15a-INVOICE_ubl.xml'),
    });
    expect(res.status).toBe(422);
    expect(res.body.report.findings.map((f) => f.ruleId)).toContain('POSTSTELLE-LEITWEG-UNKNOWN');
    const kept = await stack.json<Report>('erechnung', `/v1/invoices/${res.body.invoiceId}/report`);
    expect(kept.body.accepted).toBe(false);
  }, 60000);

  it.each([
    ['malformed XML', '<Invoice><unclosed></Invoice>'],
    ['an external entity', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>'],
    ['a wrong root element', '<?xml version="1.0"?><Order xmlns="urn:example"/>'],
  ])(
    'rejects %s with a clear report and keeps serving',
    async (_name, xml) => {
      const res = await stack.json<{ report: Report }>('erechnung', '/v1/invoices', {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: xml,
      });
      expect(res.status).toBe(422);
      expect(res.body.report.errorCount).toBeGreaterThan(0);
      expect(res.body.report.findings[0]!.message.length).toBeGreaterThan(10);
      expect((await fetch(`${stack.url('erechnung')}/health`)).status).toBe(200);
    },
    60000,
  );

  it('refuses a body that is not XML', async () => {
    expect((await post('{"invoice": 1}', 'application/json')).status).toBe(415);
  });
});
