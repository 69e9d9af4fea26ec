import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { parseStringPromise } from 'xml2js';
import { KafkaProbe, Stack, portalSubmission, testKafka, waitFor } from '@poststelle/testing';

const LEIKA = '99050012104000';
const TENANT = '120540000000';

interface Issued {
  invoiceId: string;
  caseId: string;
  feeId: string;
  tenantArs: string;
  invoiceNumber: string;
  sequence: number;
  payableAmount: string;
  kassenzeichen: string;
  vatCategory: string;
  documents: { format: string; sha512: string }[];
}
interface Envelope<P> {
  id: string;
  type: string;
  payload: P;
}

const typeOf = (value: string | null | undefined): string | undefined => (JSON.parse(value ?? '{}') as { type?: string }).type;

const issuer = {
  name: 'Landeshauptstadt Potsdam, Fachbereich Ordnung',
  sellerIdentifier: '12054000-00001-51',
  street: 'Friedrich-Ebert-Straße 79/81',
  postalCode: '14469',
  city: 'Potsdam',
  country: 'DE',
  electronicAddress: 'rechnungsausgang@potsdam.example',
  contactName: 'Stadtkasse',
  contactPhone: '+49 331 289-0',
  contactEmail: 'stadtkasse@potsdam.example',
  iban: 'DE75512108001245126199',
  bic: 'SOLADEST600',
  accountName: 'Stadtkasse Potsdam',
};

const businessApplication = (kassenzeichen: string) =>
  portalSubmission({
    applicant: {
      kind: 'legal',
      organisation: 'Muster & Söhne GmbH',
      email: 'rechnung@muster.example',
      address: { street: 'Am Markt', houseNumber: '1', postalCode: '14467', city: 'Potsdam' },
    },
    paymentInformation: {
      transactionReference: kassenzeichen,
      transactionId: `tx-${randomUUID()}`,
      paymentMethod: 'INVOICE',
      status: 'INITIAL',
      grossAmount: '30.50',
    },
    additionalReferenceInfo: { senderReference: 'Bestellung 4711' },
  });

describe('erechnung: outbound fee invoices, payment → erechnung → HTTP', () => {
  let stack: Stack;
  let probe: KafkaProbe;
  let db: Client;

  beforeAll(async () => {
    stack = await new Stack().start();
    await stack.seedRoute({ procedureId: 'parking-potsdam', tenantArs: TENANT, leikaKey: LEIKA, arsPrefix: '12054', fee: '30.50' });
    const seeded = await stack.json('erechnung', `/v1/admin/invoice-issuers/${TENANT}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(issuer),
    });
    expect(seeded.status).toBe(200);
    probe = await new KafkaProbe().start([stack.topic('invoices.events.v1'), stack.topic('payments.events.v1')]);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await db?.end();
    await stack?.stop();
  }, 60000);

  it('rejects an issuer whose IBAN check digits are wrong', async () => {
    const res = await stack.json<{ code: string }>('erechnung', `/v1/admin/invoice-issuers/${TENANT}9`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(issuer),
    });
    expect(res.status).toBe(422);
    const bad = await stack.json('erechnung', `/v1/admin/invoice-issuers/${TENANT}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...issuer, iban: 'DE75512108001245126198' }),
    });
    expect(bad.status).toBe(422);
  });

  it('issues a validated XRechnung for a business paying by invoice, once, and serves it as UBL, CII and HTML', async () => {
    const portalReference = `KZ-${Date.now()}`;
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(businessApplication(portalReference)),
    });
    expect(res.status).toBe(202);
    const caseId = res.body.caseId;

    const [issuedMessage] = await probe.waitForCount(
      (m) => m.topic === stack.topic('invoices.events.v1') && m.key === caseId && typeOf(m.value) === 'invoice.issued',
      1,
      90000,
    );
    const issued = (JSON.parse(issuedMessage!.value!) as Envelope<Issued>).payload;
    // The invoice carries the Kassenzeichen payment issued; the portal's is kept only as its reference.
    const payment = await stack.json<{ kassenzeichen: string; portalReference: string }>('payment', `/v1/cases/${caseId}/payment`);
    expect(payment.body.portalReference).toBe(portalReference);
    const kassenzeichen = payment.body.kassenzeichen;
    expect(kassenzeichen).toMatch(/^12054-\d{4}-\d{7}-\d$/);
    expect(issued).toMatchObject({
      caseId,
      tenantArs: TENANT,
      sequence: 1,
      invoiceNumber: 'RE-000001',
      payableAmount: '30.50',
      kassenzeichen,
      vatCategory: 'O',
    });
    expect(issued.documents.map((d) => d.format)).toEqual(['ubl', 'cii']);

    const ubl = await stack.fetch('erechnung', `/v1/invoices/outbound/${issued.invoiceId}`);
    expect(ubl.status).toBe(200);
    expect(ubl.headers.get('content-type')).toMatch(/application\/xml/);
    const ublText = await ubl.text();
    expect(createHash('sha512').update(ublText).digest('hex')).toBe(issued.documents[0]!.sha512);
    const parsed = (await parseStringPromise(ublText)) as {
      Invoice: { 'cbc:ID': string[]; 'cac:PaymentMeans': { 'cbc:PaymentID': string[] }[] };
    };
    expect(parsed.Invoice['cbc:ID'][0]).toBe('RE-000001');
    expect(parsed.Invoice['cac:PaymentMeans'][0]!['cbc:PaymentID'][0]).toBe(kassenzeichen);
    expect(ublText).toContain('<cbc:BuyerReference>Bestellung 4711</cbc:BuyerReference>');

    const cii = await stack.fetch('erechnung', `/v1/invoices/outbound/${issued.invoiceId}?format=cii`);
    const ciiText = await cii.text();
    expect(ciiText).toContain('<rsm:CrossIndustryInvoice');
    expect(createHash('sha512').update(ciiText).digest('hex')).toBe(issued.documents[1]!.sha512);

    const html = await stack.fetch('erechnung', `/v1/invoices/outbound/${issued.invoiceId}`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const page = await html.text();
    expect(page).toContain('Rechnung RE-000001');
    expect(page).toContain(kassenzeichen);
    expect(page).toContain('Muster &amp; Söhne GmbH');

    const byCase = await stack.json<{ status: string; invoiceId: string }>('erechnung', `/v1/cases/${caseId}/outbound-invoice`);
    expect(byCase.body).toMatchObject({ status: 'issued', invoiceId: issued.invoiceId });
    const feeRecord = await stack.json<{ billing: string }>('erechnung', `/v1/cases/${caseId}/fee-record`);
    expect(feeRecord.body.billing).toBe('invoice');

    // Redelivery of the same fee under a new message id: no second invoice, no second number.
    const [feeMessage] = await probe.waitForCount((m) => m.topic === stack.topic('payments.events.v1') && m.key === caseId, 1);
    const fee = JSON.parse(feeMessage!.value!) as Envelope<{ feeId: string }>;
    expect(fee.payload.feeId).toBe(issued.feeId);
    const producer = testKafka().producer();
    const redeliveryId = randomUUID();
    await producer.connect();
    await producer.send({
      topic: stack.topic('payments.events.v1'),
      messages: [{ key: caseId, value: JSON.stringify({ ...fee, id: redeliveryId }), headers: { 'ps-type': fee.type } }],
    });
    await producer.disconnect();
    // Both erechnung consumer groups (fee records, outbound invoices) have handled the redelivered message.
    await waitFor('redelivered fee handled', async () => {
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM erechnung.inbox WHERE message_id = $1', [redeliveryId]);
      return r.rows[0]?.n === 2;
    });
    const again = await stack.json<{ status: string; invoiceId: string; sequence: number }>(
      'erechnung',
      `/v1/cases/${caseId}/outbound-invoice`,
    );
    expect(again.body).toMatchObject({ invoiceId: issued.invoiceId, sequence: 1 });
    const issuedForCase = probe.messages.filter(
      (m) => m.topic === stack.topic('invoices.events.v1') && m.key === caseId && typeOf(m.value) === 'invoice.issued',
    );
    expect(issuedForCase).toHaveLength(1);
  }, 180000);

  it('issues nothing for a citizen paying online', async () => {
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(
        portalSubmission({
          paymentInformation: {
            transactionReference: 'KZ-ONLINE',
            transactionId: 'tx-online',
            paymentMethod: 'PAYPAL',
            status: 'BOOKED',
            grossAmount: '30.50',
          },
        }),
      ),
    });
    const caseId = res.body.caseId;
    const [feeMessage] = await probe.waitForCount((m) => m.topic === stack.topic('payments.events.v1') && m.key === caseId, 1, 60000);
    const feeMessageId = (JSON.parse(feeMessage!.value!) as Envelope<unknown>).id;
    await waitFor('both erechnung consumer groups handled the fee', async () => {
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM erechnung.inbox WHERE message_id = $1', [feeMessageId]);
      return r.rows[0]?.n === 2;
    });
    const feeRecord = await stack.json<{ billing: string }>('erechnung', `/v1/cases/${caseId}/fee-record`);
    expect(feeRecord.body.billing).toBe('online-payment');
    expect((await stack.json('erechnung', `/v1/cases/${caseId}/outbound-invoice`)).status).toBe(404);
  }, 120000);
});
