/**
 * Demo data for `npm start`: one demo tenant (Potsdam, state Brandenburg) with procedures, routing rules and fees,
 * then applications through every channel: the portal over HTTP, and email and paper scan as their channel
 * adapters publish them on `intake.submissions.v1`. Prints what happened to each.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { EventTypes, Topics } from '@poststelle/contracts';

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
