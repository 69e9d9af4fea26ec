/**
 * Demo data for `npm start`: one demo tenant (Potsdam, state Brandenburg) with procedures, routing rules and fees,
 * then applications through every channel: the portal over HTTP, a raw email (`POST /v1/email`), a paper-scan batch
 * (index + PDF over HTTP, OCR/classification by intake), an XRechnung sent by email to an invoice mailbox, and email
 * and scan as channel adapters publish them on `intake.submissions.v1`. Then it waits until every case has gone where
 * it should (routed, or queued for manual routing), the business's fee invoice is issued and the emailed XRechnung is
 * accepted, prints what happened to each and ends with "Demo completed"; it exits 1 if an outcome is wrong or late.
 * Every document it sends is made here: it needs nothing beside the clone.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import MailComposer from 'nodemailer/lib/mail-composer';
import { EventTypes, Topics } from '@poststelle/contracts';
import { scanIndexXml, sealIndex, textPdf } from '@poststelle/testing';
import { generateUbl, type FeeInvoice } from '@poststelle/xrechnung';

const URL = {
  intake: process.env['INTAKE_URL'] ?? 'http://127.0.0.1:8081',
  routing: process.env['ROUTING_URL'] ?? 'http://127.0.0.1:8082',
  payment: process.env['PAYMENT_URL'] ?? 'http://127.0.0.1:8083',
  erechnung: process.env['ERECHNUNG_URL'] ?? 'http://127.0.0.1:8084',
};
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
/** The services' topic prefix (KAFKA_NAMESPACE), if they run with one. */
const NAMESPACE = process.env['KAFKA_NAMESPACE'];
const topic = (logical: string) => (NAMESPACE ? `${NAMESPACE}.${logical}` : logical);
/** How long the demo waits for all outcomes (OCR of the scanned paper is the slowest, on a small machine). */
const OUTCOME_TIMEOUT_MS = Number(process.env['DEMO_TIMEOUT_MS'] ?? 180000);

const POTSDAM = '120540000000';
const PARKING = '99050012104000'; // resident parking permit
const REGISTRATION = '99115005000000'; // registration of residence
const APPLICATIONS_MAILBOX = 'antraege@potsdam.example';
const INVOICE_MAILBOX = 'rechnungseingang@potsdam.example';
/** The Leitweg-ID (BT-10) under which Potsdam's treasury receives supplier invoices. */
const POTSDAM_LEITWEG_ID = '04011000-12345-03';

/** A supplier's XRechnung 3.0 (UBL) to Potsdam, made by the project's own generator; standard rated, 19 % VAT. */
function supplierInvoice(invoiceNumber: string): string {
  const today = new Date().toISOString().slice(0, 10);
  const invoice: FeeInvoice = {
    number: invoiceNumber,
    issueDate: today,
    dueDate: new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10),
    deliveryDate: today,
    currency: 'EUR',
    buyerReference: POTSDAM_LEITWEG_ID,
    paymentTerms: 'Zahlbar innerhalb von 30 Tagen ohne Abzug.',
    seller: {
      name: 'Lieferant GmbH',
      identifier: 'LIEFERANT-4711',
      vatId: 'DE123456789',
      address: { street: 'Lindenstraße 5', postalCode: '14467', city: 'Potsdam', country: 'DE' },
      electronicAddress: 'buchhaltung@lieferant.example',
      contact: { name: 'Buchhaltung', phone: '+49 331 000000', email: 'buchhaltung@lieferant.example' },
    },
    buyer: {
      name: 'Landeshauptstadt Potsdam',
      address: { street: 'Friedrich-Ebert-Straße 79/81', postalCode: '14469', city: 'Potsdam', country: 'DE' },
      electronicAddress: 'rechnungseingang@potsdam.example',
    },
    payment: { remittanceInformation: invoiceNumber, iban: 'DE02120300000000202051', accountName: 'Lieferant GmbH' },
    vat: { category: 'S', rate: '19' },
    lines: [{ id: '1', name: 'Parkscheine, Rolle zu 500 Stück', quantity: '4', unitCode: 'C62', unitPrice: '12.50' }],
  };
  return generateUbl(invoice);
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` naming what it waited for. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = OUTCOME_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The demo scan centre's CA and seal certificate (made by scripts/start.sh); intake trusts the CA. */
const SCAN_CENTRE_DIR = resolve(process.env['DEMO_SCAN_CENTRE_DIR'] ?? '.data/scan-centre');
const scanCentre = {
  dir: SCAN_CENTRE_DIR,
  caPath: join(SCAN_CENTRE_DIR, 'ca.pem'),
  certPath: join(SCAN_CENTRE_DIR, 'signer.pem'),
  keyPath: join(SCAN_CENTRE_DIR, 'signer.key'),
};

/** The embedded OpenID provider (started by scripts/start.sh) and where it keeps the demo clients' secrets. */
const OIDC_ISSUER = process.env['OIDC_ISSUER'] ?? 'http://127.0.0.1:8090';
const OIDC_DATA_DIR = resolve(process.env['OIDC_DATA_DIR'] ?? '.data/oidc');
type DemoClient = 'channel-demo' | 'operator-potsdam' | 'platform-admin';
const tokens = new Map<DemoClient, { token: string; expiresAt: number }>();

/** An access token of a demo client (client-credentials grant), kept until shortly before it expires. */
async function tokenOf(client: DemoClient): Promise<string> {
  const kept = tokens.get(client);
  if (kept && kept.expiresAt > Date.now() + 60000) return kept.token;
  const secrets = JSON.parse(readFileSync(join(OIDC_DATA_DIR, 'clients.json'), 'utf8')) as Record<string, string>;
  const res = await fetch(`${OIDC_ISSUER}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client}:${secrets[client]}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
  });
  const body = (await res.json()) as { access_token?: string; expires_in?: number };
  if (!res.ok || !body.access_token) throw new Error(`no token for ${client}: ${res.status} ${JSON.stringify(body)}`);
  tokens.set(client, { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 60) * 1000 });
  return body.access_token;
}

/** Who makes the call: the platform admin sets the demo tenant up, the channel hands in, the caseworker reads. */
async function bearer(method: string, url: string): Promise<{ authorization: string }> {
  const client: DemoClient = url.includes('/v1/admin/') ? 'platform-admin' : method === 'GET' ? 'operator-potsdam' : 'channel-demo';
  return { authorization: `Bearer ${await tokenOf(client)}` };
}

async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(await bearer(method, url)), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function send(
  url: string,
  method: string,
  body: Buffer | string,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { 'content-type': contentType, ...(await bearer(method, url)), ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function must(method: string, url: string, body?: unknown): Promise<void> {
  const r = await call(method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status}: ${JSON.stringify(r.body)}`);
}

function application(channel: Record<string, unknown>, leikaKey: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    tenant: { ars: POTSDAM },
    publicServiceType: { identifier: `urn:de:fim:leika:leistung:${leikaKey}`, name },
    channel,
    applicant: { kind: 'natural', givenName: 'Erika', familyName: 'Mustermann', address: { postalCode: '14467', city: 'Potsdam' } },
    formData: { schemaUri: `urn:demo:form:${leikaKey}`, mimeType: 'application/json', content: { plate: 'P-AB 123', zone: 'B' } },
    attachments: [
      {
        attachmentId: 'a1',
        fileName: 'nachweis.pdf',
        mediaType: 'application/pdf',
        purpose: 'attachment',
        // intake checks PDFs structurally (header, startxref, %%EOF): a tiny one that passes.
        contentBase64: Buffer.from(`%PDF-1.4\n% demo ${randomUUID()}\ntrailer\n<< /Size 1 >>\nstartxref\n0\n%%EOF\n`).toString('base64'),
      },
    ],
    replyChannel: { eMail: { address: 'erika.mustermann@example.org' } },
    ...extra,
  };
}

async function main(): Promise<void> {
  console.log('\nSeeding the demo tenant (Landeshauptstadt Potsdam, ARS 120540000000)');
  await must('PUT', `${URL.routing}/v1/admin/procedures/parking-potsdam`, { tenantArs: POTSDAM, name: 'Bewohnerparken Potsdam' });
  await must('PUT', `${URL.routing}/v1/admin/procedures/registration-bb`, { tenantArs: '120000000000', name: 'Meldewesen Brandenburg' });
  await must('POST', `${URL.routing}/v1/admin/routing-rules`, {
    ruleId: 'parking-potsdam',
    leikaKey: PARKING,
    arsPrefix: '12054',
    procedureId: 'parking-potsdam',
  });
  await must('POST', `${URL.routing}/v1/admin/routing-rules`, {
    ruleId: 'registration-bb',
    leikaKey: REGISTRATION,
    arsPrefix: '12',
    procedureId: 'registration-bb',
  });
  await must('PUT', `${URL.payment}/v1/admin/fees/${PARKING}/12054`, {
    amount: '30.70',
    // Paid after the decision (notice or invoice with the Kassenzeichen); `mandatory-before-processing` would hold each
    // parking case at routing's payment gate until payment reports the fee BOOKED.
    policy: 'deferred',
    bookingText: 'BEWOHNERPARKEN',
  });
  await must('PUT', `${URL.payment}/v1/admin/fees/${REGISTRATION}/12`, { amount: '0.00', policy: 'none', bookingText: 'MELDEWESEN' });
  // Who issues Potsdam's fee invoices (XRechnung seller and payee account).
  await must('PUT', `${URL.erechnung}/v1/admin/invoice-issuers/${POTSDAM}`, {
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
    paymentDays: 30,
  });

  // Where mail to the authority's addresses goes: applications for Potsdam's parking permits, e-invoices.
  await must('PUT', `${URL.intake}/v1/admin/mailboxes/${encodeURIComponent(APPLICATIONS_MAILBOX)}`, {
    tenantArs: POTSDAM,
    leikaKey: PARKING,
    name: 'Antragseingang Bewohnerparken',
  });
  await must('PUT', `${URL.intake}/v1/admin/mailboxes/${encodeURIComponent(INVOICE_MAILBOX)}`, {
    tenantArs: POTSDAM,
    name: 'Rechnungseingang',
    purpose: 'invoices',
  });
  await must('PUT', `${URL.erechnung}/v1/admin/leitweg-ids/04011000-12345-03`, {
    tenantArs: POTSDAM,
    name: 'Stadtkasse Potsdam, Kreditoren',
    destination: 'hkr-potsdam',
  });
  // How the scan centre's paper is classified: the registration form's id, else its words.
  await must('PUT', `${URL.intake}/v1/admin/scan/classification-rules/registration`, {
    leikaKey: REGISTRATION,
    tenantArs: POTSDAM,
    formIds: ['MELDE-01'],
    keywords: ['Anmeldung', 'Wohnung', 'Meldebehörde'],
  });

  /** `expect`: the procedure the case must be routed to, or `manual-routing`. */
  const sent: { channel: string; what: string; caseId?: string; expect?: string; note?: string }[] = [];

  console.log('Sending applications');
  const portal = await call(
    'POST',
    `${URL.intake}/v1/submissions`,
    application(
      { kind: 'portal', portal: { portalId: 'demo-portal', authenticationMethod: 'bundid-eid' } },
      PARKING,
      'Bewohnerparkausweis',
      {
        levelOfAssurance: 'high',
        paymentInformation: {
          transactionReference: 'KZ-DEMO-1',
          transactionId: 'tx-demo-1',
          paymentMethod: 'CREDITCARD',
          status: 'INITIAL',
          grossAmount: '30.70',
        },
      },
    ),
    { 'idempotency-key': randomUUID() },
  );
  sent.push({
    channel: 'portal (HTTP)',
    what: 'parking permit',
    caseId: caseIdOf(portal, 'portal application'),
    expect: 'parking-potsdam',
  });
  const business = await call(
    'POST',
    `${URL.intake}/v1/submissions`,
    application(
      { kind: 'portal', portal: { portalId: 'demo-portal', authenticationMethod: 'elster-certificate' } },
      PARKING,
      'Bewohnerparkausweis',
      {
        levelOfAssurance: 'substantial',
        applicant: {
          kind: 'legal',
          organisation: 'Pflegedienst Sonnenschein GmbH',
          email: 'rechnung@pflegedienst.example',
          address: { street: 'Brandenburger Straße', houseNumber: '12', postalCode: '14467', city: 'Potsdam' },
        },
        paymentInformation: {
          transactionReference: 'KZ-DEMO-2',
          transactionId: 'tx-demo-2',
          paymentMethod: 'INVOICE',
          status: 'INITIAL',
          grossAmount: '30.70',
        },
      },
    ),
    { 'idempotency-key': randomUUID() },
  );
  sent.push({
    channel: 'portal (HTTP)',
    what: 'parking permit for a business',
    caseId: caseIdOf(business, 'portal application of a business'),
    expect: 'parking-potsdam',
    note: 'paid by invoice: XRechnung issued, see /v1/cases/<id>/outbound-invoice on erechnung',
  });
  const registration = await call(
    'POST',
    `${URL.intake}/v1/submissions`,
    application(
      { kind: 'portal', portal: { portalId: 'demo-portal', authenticationMethod: 'bundid-password' } },
      REGISTRATION,
      'Anmeldung einer Wohnung',
    ),
    { 'idempotency-key': randomUUID() },
  );
  sent.push({
    channel: 'portal (HTTP)',
    what: 'registration of residence',
    caseId: caseIdOf(registration, 'registration application'),
    expect: 'registration-bb',
  });
  const unroutable = await call(
    'POST',
    `${URL.intake}/v1/submissions`,
    application({ kind: 'portal', portal: { portalId: 'demo-portal' } }, '99000000000001', 'Unbekannte Leistung'),
    { 'idempotency-key': randomUUID() },
  );
  sent.push({
    channel: 'portal (HTTP)',
    what: 'a service nobody is responsible for',
    caseId: caseIdOf(unroutable, 'unroutable application'),
    expect: 'manual-routing',
    note: 'goes to the manual-routing queue',
  });
  const invalid = await call('POST', `${URL.intake}/v1/submissions`, {
    tenant: { ars: '1205' },
    publicServiceType: { identifier: 'urn:de:fim:leika:leistung:123' },
  });
  if (invalid.status !== 422)
    throw new Error(`the invalid submission was answered ${invalid.status}, not 422: ${JSON.stringify(invalid.body)}`);
  sent.push({
    channel: 'portal (HTTP)',
    what: 'an invalid submission',
    note: `${invalid.status}: ${((invalid.body['errors'] as { field: string }[] | undefined) ?? []).map((e) => e.field).join(', ')}`,
  });

  // A real email, as a mail gateway forwards it (the SMTP receiver on port 2525 takes the same message).
  const mail = await new MailComposer({
    from: 'Erika Mustermann <erika.mustermann@example.org>',
    to: APPLICATIONS_MAILBOX,
    subject: 'Antrag auf einen Bewohnerparkausweis',
    messageId: `<${randomUUID()}@example.org>`,
    text: 'Sehr geehrte Damen und Herren,\nich beantrage einen Bewohnerparkausweis für P-AB 123.\nErika Mustermann',
  })
    .compile()
    .build();
  const email = await send(`${URL.intake}/v1/email?rcptTo=${encodeURIComponent(APPLICATIONS_MAILBOX)}`, 'POST', mail, 'message/rfc822');
  sent.push({
    channel: 'email (POST /v1/email)',
    what: 'parking permit',
    caseId: caseIdOf(email, 'emailed application'),
    expect: 'parking-potsdam',
    note: `${String(email.body['status'])}; raw message kept, plain email: written form not met`,
  });

  // A paper-scan batch: the index (scan centre, operator, profile, transfer note, hashes) and one signed form.
  const paper = await textPdf(['Anmeldung einer Wohnung', 'Formular MELDE-01', 'Einzug: Brandenburger Strasse 12, 14467 Potsdam']);
  const index = scanIndexXml({
    batchId: `SCAN-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`,
    tenantArs: POTSDAM,
    documents: [
      {
        documentId: 'd1',
        fileName: 'anmeldung.pdf',
        content: paper,
        formId: 'MELDE-01',
        handwrittenSignature: true,
        applicant: { givenName: 'Max', familyName: 'Mustermann', email: 'max.mustermann@example.org' },
      },
    ],
  });
  // Sealed by the scan centre (detached CMS signature over the index bytes): intake refuses an unsealed index.
  const seal = await sealIndex(index, scanCentre);
  const batch = await send(`${URL.intake}/v1/scan/batches`, 'POST', index, 'application/xml', {
    'scan-index-signature': seal.toString('base64'),
  });
  if (batch.status !== 201) throw new Error(`POST /v1/scan/batches → ${batch.status}: ${JSON.stringify(batch.body)}`);
  const batchId = batch.body['batchId'] as string;
  const uploaded = await send(`${URL.intake}/v1/scan/batches/${batchId}/documents/d1`, 'PUT', paper, 'application/pdf');
  if (uploaded.status >= 300) throw new Error(`document upload → ${uploaded.status}: ${JSON.stringify(uploaded.body)}`);

  // A supplier's XRechnung by email to the invoice mailbox: validated by erechnung, routed by its Leitweg-ID, never a case.
  const invoiceNumber = `RE-DEMO-${Date.now()}`;
  const invoiceMail = await new MailComposer({
    from: 'Lieferant GmbH <buchhaltung@lieferant.example>',
    to: INVOICE_MAILBOX,
    subject: `Rechnung ${invoiceNumber}`,
    messageId: `<${randomUUID()}@lieferant.example>`,
    text: 'Anbei unsere Rechnung.',
    attachments: [{ filename: 'rechnung.xml', content: supplierInvoice(invoiceNumber), contentType: 'application/xml' }],
  })
    .compile()
    .build();
  const invoice = await send(`${URL.intake}/v1/email?rcptTo=${encodeURIComponent(INVOICE_MAILBOX)}`, 'POST', invoiceMail, 'message/rfc822');
  if (invoice.status !== 202 || invoice.body['status'] !== 'invoice')
    throw new Error(`the invoice email was answered ${invoice.status}: ${JSON.stringify(invoice.body)}`);

  // erechnung announces an accepted inbound invoice on invoices.events.v1: read it (from the start, matched by number).
  const kafka = new Kafka({ clientId: 'poststelle-demo', brokers: BROKERS, logLevel: logLevel.NOTHING });
  let invoiceReceived: { invoiceId: string; destination: string } | undefined;
  const consumer = kafka.consumer({ groupId: topic(`poststelle-demo-${randomUUID()}`) });
  await consumer.connect();
  await consumer.subscribe({ topic: topic(Topics.invoicesEvents), fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as { type?: string; payload?: Record<string, unknown> };
      if (event.type === EventTypes.invoiceReceived && event.payload?.['invoiceNumber'] === invoiceNumber)
        invoiceReceived = { invoiceId: String(event.payload['invoiceId']), destination: String(event.payload['destination']) };
      return Promise.resolve();
    },
  });

  // The email and scan channel adapters publish canonical submissions on intake.submissions.v1.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const adapterMessage = (submission: unknown) => {
    const correlationId = randomUUID();
    return {
      key: correlationId,
      value: JSON.stringify({
        id: randomUUID(),
        type: EventTypes.submissionSubmitted,
        version: 1,
        occurredAt: new Date().toISOString(),
        correlationId,
        tenant: POTSDAM,
        payload: { idempotencyKey: randomUUID(), submission },
      }),
    };
  };
  const emailSubmission = application(
    {
      kind: 'email',
      email: {
        rawMessageSha512: 'e'.repeat(128),
        messageId: '<demo@example.org>',
        envelopeFrom: 'erika.mustermann@example.org',
        dkim: 'pass',
        spf: 'pass',
        dmarc: 'pass',
        signature: 'none',
      },
    },
    PARKING,
    'Bewohnerparkausweis',
  );
  const scanSubmission = application(
    {
      kind: 'scan',
      scan: {
        batchId: 'SCAN-2026-11-23-001',
        scanCentre: 'Scanzentrum Potsdam',
        scannedAt: new Date().toISOString(),
        operator: 'scan-op-3',
        scannerProfile: 'tr-resiscan-300dpi',
        resolutionDpi: 300,
        transferNote: 'Transfervermerk geprüft',
        indexSha512: 'a'.repeat(128),
        handwrittenSignature: true,
      },
    },
    REGISTRATION,
    'Anmeldung einer Wohnung',
  );
  await producer.send({
    topic: topic(Topics.intakeSubmissions),
    messages: [adapterMessage(emailSubmission), adapterMessage(scanSubmission)],
  });
  await producer.disconnect();
  sent.push({ channel: 'email (adapter → Kafka)', what: 'parking permit', note: 'plain email: written form not met' });
  sent.push({
    channel: 'paper scan (adapter → Kafka)',
    what: 'registration of residence',
    note: 'handwritten signature reported; without a sealed index it does not prove the written form',
  });

  console.log('Waiting for the outcomes (OCR of the scanned paper takes a while on a small machine)');
  const scanned = await waitFor('the scanned batch to be processed', async () => {
    const view = await call('GET', `${URL.intake}/v1/scan/batches/${batchId}`);
    const doc = (view.body['documents'] as { status: string; caseId?: string; reason?: string }[] | undefined)?.[0];
    return view.body['status'] === 'processed' || view.body['status'] === 'rejected' ? doc : undefined;
  });
  if (!scanned?.caseId) throw new Error(`the scanned form became no case: ${scanned?.status ?? ''} ${scanned?.reason ?? ''}`);
  sent.push({
    channel: 'paper scan (HTTP batch)',
    what: 'registration of residence',
    caseId: scanned.caseId,
    expect: 'registration-bb',
    note: 'classified by form id; index sealed by the (trusted) scan centre: the handwritten signature proves the written form',
  });

  const where = new Map<string, string>();
  try {
    for (const s of sent) {
      if (!s.caseId || !s.expect) continue;
      const { caseId, expect } = s;
      where.set(
        caseId,
        await waitFor(`case ${caseId} (${s.channel}, ${s.what}) to reach ${expect}`, async () => {
          const view = await call('GET', `${URL.intake}/v1/cases/${caseId}`);
          const procedureId = (view.body['routedTo'] as { procedureId?: string } | null)?.procedureId;
          if (view.body['status'] === 'routed' && procedureId && procedureId !== expect)
            throw new Error(`case ${caseId} (${s.what}) went to ${procedureId}, not ${expect}`);
          const reached = expect === 'manual-routing' ? view.body['status'] === 'manual-routing' : procedureId === expect;
          return reached ? `${String(view.body['status'])}${procedureId ? ` → ${procedureId}` : ''}` : undefined;
        }),
      );
    }
    const businessCase = sent[1]?.caseId ?? '';
    const issued = await waitFor(`the fee invoice of case ${businessCase}`, async () => {
      const r = await call('GET', `${URL.erechnung}/v1/cases/${businessCase}/outbound-invoice`);
      if (r.body['status'] === 'not-issued') throw new Error(`the fee invoice was not issued: ${JSON.stringify(r.body)}`);
      return r.body['status'] === 'issued' ? r.body : undefined;
    });
    const received = await waitFor(`invoice ${invoiceNumber} to be accepted (invoice.received)`, () => Promise.resolve(invoiceReceived));
    sent.push({
      channel: 'e-invoice (email)',
      what: 'a supplier XRechnung (UBL, generated)',
      note: `${invoiceNumber} accepted by erechnung as invoice ${received.invoiceId} for ${received.destination}`,
    });
    where.set(businessCase, `${where.get(businessCase) ?? ''}, invoice ${issued['invoiceNumber'] as string} issued`);
  } finally {
    await consumer.disconnect();
  }

  console.log('\nResult');
  for (const s of sent) {
    const outcome = s.caseId ? `${where.get(s.caseId) ?? ''}${s.note ? ` (${s.note})` : ''}` : (s.note ?? '');
    console.log(`  ${s.channel.padEnd(30)} ${s.what.padEnd(38)} ${s.caseId ?? '-'.padEnd(36)}  ${outcome}`);
  }
  const cases = sent.filter((s) => s.expect).length;
  console.log(`\nDemo completed: ${cases} cases where they belong, the fee invoice issued, the supplier's XRechnung accepted.`);
}

/** The case id of an accepted submission; anything else stops the demo. */
function caseIdOf(r: { status: number; body: Record<string, unknown> }, what: string): string {
  const caseId = r.body['caseId'];
  if (r.status >= 300 || typeof caseId !== 'string') throw new Error(`the ${what} was not accepted: ${r.status} ${JSON.stringify(r.body)}`);
  return caseId;
}

main().catch((error: unknown) => {
  console.error('demo failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
