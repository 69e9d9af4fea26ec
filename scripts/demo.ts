/**
 * Demo data for `npm start`: one demo tenant (Potsdam, state Brandenburg) with procedures, routing rules and fees,
 * then applications through every channel: the portal over HTTP, a raw email (`POST /v1/email`), a paper-scan batch
 * (index + PDF over HTTP, OCR/classification by intake), an XRechnung sent by email to an invoice mailbox, and email
 * and scan as channel adapters publish them on `intake.submissions.v1`. Prints what happened to each.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import MailComposer from 'nodemailer/lib/mail-composer';
import { EventTypes, Topics } from '@poststelle/contracts';
import { scanIndexXml, textPdf } from '@poststelle/testing';

const URL = {
  intake: process.env['INTAKE_URL'] ?? 'http://127.0.0.1:8081',
  routing: process.env['ROUTING_URL'] ?? 'http://127.0.0.1:8082',
  payment: process.env['PAYMENT_URL'] ?? 'http://127.0.0.1:8083',
  erechnung: process.env['ERECHNUNG_URL'] ?? 'http://127.0.0.1:8084',
};
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

const POTSDAM = '120540000000';
const PARKING = '99050012104000'; // resident parking permit
const REGISTRATION = '99115005000000'; // registration of residence
const APPLICATIONS_MAILBOX = 'antraege@potsdam.example';
const INVOICE_MAILBOX = 'rechnungseingang@potsdam.example';
// A real XRechnung from the KoSIT test suite (../shared/testdata, see its README); its Leitweg-ID is 04011000-12345-03.
const SAMPLE_INVOICE = resolve(__dirname, '../../shared/testdata/xrechnung/valid/01.01a-INVOICE_ubl.xml');

async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-actor': 'demo-admin', ...headers },
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
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { 'content-type': contentType }, body });
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
    policy: 'before-processing',
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

  const sent: { channel: string; what: string; caseId?: string; note?: string }[] = [];

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
  sent.push({ channel: 'portal (HTTP)', what: 'parking permit', caseId: portal.body['caseId'] as string });
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
    caseId: business.body['caseId'] as string,
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
  sent.push({ channel: 'portal (HTTP)', what: 'registration of residence', caseId: registration.body['caseId'] as string });
  const unroutable = await call(
    'POST',
    `${URL.intake}/v1/submissions`,
    application({ kind: 'portal', portal: { portalId: 'demo-portal' } }, '99000000000001', 'Unbekannte Leistung'),
    { 'idempotency-key': randomUUID() },
  );
  sent.push({
    channel: 'portal (HTTP)',
    what: 'a service nobody is responsible for',
    caseId: unroutable.body['caseId'] as string,
    note: 'goes to the manual-routing queue',
  });
  const invalid = await call('POST', `${URL.intake}/v1/submissions`, {
    tenant: { ars: '1205' },
    publicServiceType: { identifier: 'urn:de:fim:leika:leistung:123' },
  });
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
    ...(email.body['caseId'] ? { caseId: email.body['caseId'] as string } : {}),
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
  const batch = await send(`${URL.intake}/v1/scan/batches`, 'POST', index, 'application/xml');
  if (batch.status !== 201) throw new Error(`POST /v1/scan/batches → ${batch.status}: ${JSON.stringify(batch.body)}`);
  const batchId = batch.body['batchId'] as string;
  const uploaded = await send(`${URL.intake}/v1/scan/batches/${batchId}/documents/d1`, 'PUT', paper, 'application/pdf');
  if (uploaded.status >= 300) throw new Error(`document upload → ${uploaded.status}: ${JSON.stringify(uploaded.body)}`);

  // An XRechnung by email to the invoice mailbox: validated by erechnung, routed by its Leitweg-ID, never a case.
  const invoiceMail = await new MailComposer({
    from: 'Lieferant GmbH <buchhaltung@lieferant.example>',
    to: INVOICE_MAILBOX,
    subject: 'Rechnung 123456XX',
    messageId: `<${randomUUID()}@lieferant.example>`,
    text: 'Anbei unsere Rechnung.',
    attachments: [{ filename: 'rechnung.xml', content: readFileSync(SAMPLE_INVOICE), contentType: 'application/xml' }],
  })
    .compile()
    .build();
  const invoice = await send(`${URL.intake}/v1/email?rcptTo=${encodeURIComponent(INVOICE_MAILBOX)}`, 'POST', invoiceMail, 'message/rfc822');
  sent.push({
    channel: 'e-invoice (email)',
    what: 'XRechnung 01.01a (KoSIT test suite)',
    note: `${String(invoice.body['status'])}: validated by erechnung, see invoice.received on invoices.events.v1`,
  });

  // The email and scan channel adapters publish canonical submissions on intake.submissions.v1.
  const kafka = new Kafka({ clientId: 'poststelle-demo', brokers: BROKERS, logLevel: logLevel.NOTHING });
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
  await producer.send({ topic: Topics.intakeSubmissions, messages: [adapterMessage(emailSubmission), adapterMessage(scanSubmission)] });
  await producer.disconnect();
  sent.push({ channel: 'email (adapter → Kafka)', what: 'parking permit', note: 'plain email: written form not met' });
  sent.push({
    channel: 'paper scan (adapter → Kafka)',
    what: 'registration of residence',
    note: 'handwritten signature: written form met',
  });

  await new Promise((r) => setTimeout(r, 3000));
  // OCR and classification take a few seconds on a small machine.
  for (let i = 0; i < 60; i += 1) {
    const view = await call('GET', `${URL.intake}/v1/scan/batches/${batchId}`);
    const doc = (view.body['documents'] as { status: string; caseId?: string; reason?: string }[] | undefined)?.[0];
    if (view.body['status'] === 'processed' || view.body['status'] === 'rejected') {
      sent.push({
        channel: 'paper scan (HTTP batch)',
        what: 'registration of residence',
        ...(doc?.caseId ? { caseId: doc.caseId } : {}),
        note: doc?.caseId ? 'classified by form id; handwritten signature: written form met' : `${doc?.status ?? ''} ${doc?.reason ?? ''}`,
      });
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log('\nResult');
  for (const s of sent) {
    let where = s.note ?? '';
    if (s.caseId) {
      const view = await call('GET', `${URL.intake}/v1/cases/${s.caseId}`);
      const routedTo = view.body['routedTo'] as { procedureId?: string } | null;
      where = `${String(view.body['status'])}${routedTo?.procedureId ? ` → ${routedTo.procedureId}` : ''}${s.note ? ` (${s.note})` : ''}`;
    }
    console.log(`  ${s.channel.padEnd(30)} ${s.what.padEnd(38)} ${s.caseId ?? '-'.padEnd(36)}  ${where}`);
  }
}

main().catch((error: unknown) => {
  console.error('demo failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
