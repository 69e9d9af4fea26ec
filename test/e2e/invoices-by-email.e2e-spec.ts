import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Client } from 'pg';
import { KafkaProbe, SmtpSink, Stack, testKafka, waitFor } from '@poststelle/testing';

const VALID = resolve(__dirname, '../../../shared/testdata/xrechnung/valid');
const INVOICE = readFileSync(resolve(VALID, '01.01a-INVOICE_ubl.xml'));
const CII = readFileSync(resolve(VALID, '01.01a-INVOICE_uncefact.xml'));
const TENANT = '040110000000';
const MAILBOX = 'rechnung@bremen.example';
const SELLER = 'buchhaltung@lieferant.example';

interface Outcome {
  inboundId: string;
  rawMessageSha512: string;
  status: string;
  caseId?: string;
  invoices?: { submissionId: string; fileName: string; syntax: string; sha512: string; forwarded: boolean }[];
  links?: Record<string, string>;
  title?: string;
  detail?: string;
}

interface Reply {
  subject: string;
  state: string;
  recipientBasis: string | null;
  withheldReason: string | null;
}

const compose = (opts: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(opts).compile().build();

/**
 * Intake does not pass a verified sender (From + DKIM) to erechnung yet, and there is no supplier address on file:
 * every answer is withheld with the reason, and nothing is sent to the unauthenticated Reply-To or From (ADR 0016).
 */
describe('erechnung: invoices received by email through intake', () => {
  let stack: Stack;
  let probe: KafkaProbe;
  let db: Client;
  const sink = new SmtpSink();

  let firstRaw: Buffer;
  const postEmail = async (raw: Buffer | Promise<Buffer>) =>
    stack.json<Outcome>('intake', `/v1/email?rcptTo=${encodeURIComponent(MAILBOX)}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: await raw,
    });
  const invoiceMail = (messageId: string, xml: Buffer, fileName = 'rechnung.xml') =>
    compose({
      from: `Lieferant GmbH <${SELLER}>`,
      to: MAILBOX,
      subject: 'Rechnung 123456XX [PS-0000ABCD]',
      messageId,
      text: 'Anbei unsere Rechnung.',
      attachments: [{ filename: fileName, content: xml, contentType: 'application/xml' }],
    });
  /** The invoices erechnung recorded from one inbound email, in attachment order. */
  const invoicesOf = (inboundId: string, count = 1) =>
    waitFor(`${count} invoice(s) of email ${inboundId}`, async () => {
      const r = await db.query<{ invoice_id: string }>(
        `SELECT invoice_id FROM erechnung.inbound_invoices WHERE source->>'inboundId' = $1 ORDER BY source->'document'->>'fileName'`,
        [inboundId],
      );
      return r.rows.length === count ? r.rows.map((row) => row.invoice_id) : undefined;
    });
  const replyOf = async (invoiceId: string) => (await stack.json<Reply>('erechnung', `/v1/invoices/${invoiceId}/reply`)).body;

  beforeAll(async () => {
    await sink.start();
    stack = await new Stack({
      extraEnv: { SMTP_RELAY_HOST: '127.0.0.1', SMTP_RELAY_PORT: String(sink.port), INVOICE_REPLY_FROM: 'erechnung@bremen.example' },
    }).start();
    const seed = await stack.json('erechnung', '/v1/admin/leitweg-ids/04011000-12345-03', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantArs: TENANT, name: 'Stadt Bremen, Finanzen', destination: 'sap-fi-bremen' }),
    });
    expect(seed.status).toBe(200);
    const mailbox = await stack.json<Record<string, unknown>>('intake', `/v1/admin/mailboxes/${encodeURIComponent(MAILBOX)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantArs: TENANT, name: 'Rechnungseingang', purpose: 'invoices' }),
    });
    expect(mailbox.status).toBe(200);
    expect((await stack.json<Record<string, unknown>>('intake', `/v1/admin/mailboxes/${encodeURIComponent(MAILBOX)}`)).body).toMatchObject({
      purpose: 'invoices',
    });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    probe = await new KafkaProbe().start([
      stack.topic('invoices.events.v1'),
      stack.topic('cases.received.v1'),
      stack.topic('invoices.inbound.v1'),
    ]);
  }, 180000);

  afterAll(async () => {
    await probe?.stop();
    await db?.end();
    await stack?.stop();
    await sink.stop();
  }, 60000);

  it('validates an emailed XRechnung and publishes it for the resolved destination; withholds the answer to an unverified sender; no case', async () => {
    firstRaw = await invoiceMail('<inv-1@lieferant.example>', INVOICE);
    const res = await postEmail(firstRaw);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'invoice', invoices: [{ fileName: 'rechnung.xml', syntax: 'ubl-invoice', forwarded: true }] });
    expect(res.body.caseId).toBeUndefined();
    expect(res.body.links?.['case']).toBeUndefined();
    const stored = await stack.json<{ status: string; caseId: string | null }>('intake', `/v1/email/messages/${res.body.inboundId}`);
    expect(stored.body).toMatchObject({ status: 'invoice', caseId: null });

    // The command on invoices.inbound.v1 is a claim check: the blob hash, never the XML.
    const [command] = await probe.waitForCount((m) => m.key === res.body.invoices![0]!.submissionId, 1);
    expect(command!.value).not.toMatch(/Invoice-2|cbc:|BuyerReference/);
    expect(JSON.parse(command!.value!)).toMatchObject({
      type: 'invoice.submitted',
      tenant: TENANT,
      payload: { channel: 'email', document: { sha512: res.body.invoices![0]!.sha512 }, email: { replyTo: SELLER, mailbox: MAILBOX } },
    });

    const [invoiceId] = await invoicesOf(res.body.inboundId);

    const [event] = await probe.waitForCount((m) => m.key === invoiceId, 1);
    expect(JSON.parse(event!.value!)).toMatchObject({
      type: 'invoice.received',
      payload: { invoiceId, leitwegId: '04011000-12345-03', tenantArs: TENANT, destination: 'sap-fi-bremen', invoiceNumber: '123456XX' },
    });
    // The answer is composed and kept, but withheld: nobody verified that the From address sent it.
    expect(await replyOf(invoiceId!)).toMatchObject({
      subject: 'E-Rechnung 123456XX eingegangen',
      state: 'withheld',
      recipientBasis: null,
      withheldReason: expect.stringContaining('never go to an unauthenticated Reply-To') as string,
    });
    const report = await stack.json<{ accepted: boolean; duplicateOf: string | null }>('erechnung', `/v1/invoices/${invoiceId}/report`);
    expect(report.body).toMatchObject({ accepted: true, duplicateOf: null });
  }, 120000);

  it('the same email twice is one invoice and one answer; the same invoice in a new email is flagged as a duplicate', async () => {
    const firstInbound = probe
      .on(stack.topic('invoices.inbound.v1'))
      .map((m) => JSON.parse(m.value!) as { payload: { email: { inboundId: string; messageId?: string } } })
      .find((c) => c.payload.email.messageId === '<inv-1@lieferant.example>')!;
    const [firstId] = await invoicesOf(firstInbound.payload.email.inboundId);
    const original = probe
      .on(stack.topic('invoices.inbound.v1'))
      .map((m) => JSON.parse(m.value!) as { payload: { submissionId: string; email: { messageId?: string } } })
      .find((c) => c.payload.email.messageId === '<inv-1@lieferant.example>')!;
    const again = await postEmail(firstRaw);
    expect(again.status).toBe(202);
    expect(again.body.invoices).toEqual([expect.objectContaining({ submissionId: original.payload.submissionId, forwarded: false })]);
    expect((await stack.json<{ status: string }>('intake', `/v1/email/messages/${again.body.inboundId}`)).body.status).toBe('invoice');

    const resent = await postEmail(invoiceMail('<inv-1-resent@lieferant.example>', INVOICE));
    expect(resent.status).toBe(202);
    const [secondId] = await invoicesOf(resent.body.inboundId);
    expect(secondId).not.toBe(firstId);
    const [event] = await probe.waitForCount((m) => m.key === secondId, 1);
    expect(JSON.parse(event!.value!)).toMatchObject({ payload: { duplicateOf: firstId } });

    // A command delivered again under a new message id (say, an outbox replayed by hand) changes nothing either.
    const command = probe.on(stack.topic('invoices.inbound.v1')).find((m) => m.key === original.payload.submissionId)!;
    const replayedId = randomUUID();
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: stack.topic('invoices.inbound.v1'),
      messages: [
        {
          key: command.key!,
          value: JSON.stringify({ ...(JSON.parse(command.value!) as object), id: replayedId }),
          headers: { ...command.headers, 'ps-message-id': replayedId },
        },
      ],
    });
    await producer.disconnect();

    await waitFor('the replayed command handled', async () => {
      const r = await db.query('SELECT 1 FROM erechnung.inbox WHERE message_id = $1', [replayedId]);
      return r.rowCount === 1;
    });
    const invoices = await db.query('SELECT 1 FROM erechnung.inbound_invoices WHERE submission_id = $1', [original.payload.submissionId]);
    expect(invoices.rowCount).toBe(1);

    // Give a (wrong) second forward of the byte-identical mail time to show up, then count.
    await new Promise((r) => setTimeout(r, 3000));
    const answers = await db.query(`SELECT 1 FROM erechnung.invoice_replies WHERE in_reply_to = '<inv-1@lieferant.example>'`);
    expect(answers.rowCount).toBe(1);
    const received = probe
      .on(stack.topic('invoices.events.v1'))
      .map((m) => JSON.parse(m.value!) as { payload: { invoiceNumber?: string } });
    expect(received.filter((e) => e.payload.invoiceNumber === '123456XX')).toHaveLength(2);
  }, 120000);

  it('rejects an invoice whose Leitweg-ID has wrong check digits, sent over SMTP, and never answers its unauthenticated Reply-To', async () => {
    const broken = Buffer.from(INVOICE.toString('utf8').replace('04011000-12345-03', '04011000-12345-04'), 'utf8');
    const transport = createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const sent = await transport.sendMail({
      from: SELLER,
      replyTo: 'rechnungswesen@lieferant.example',
      to: MAILBOX,
      subject: 'Rechnung',
      messageId: '<inv-2@lieferant.example>',
      text: 'Anbei.',
      attachments: [{ filename: 'rechnung-2.xml', content: broken, contentType: 'text/xml' }],
    });
    transport.close();
    const inboundId = /queued as ([0-9a-f-]{36})/.exec(sent.response)![1]!;
    expect((await stack.json<{ status: string }>('intake', `/v1/email/messages/${inboundId}`)).body.status).toBe('invoice');

    const [invoiceId] = await invoicesOf(inboundId);
    expect(await replyOf(invoiceId!)).toMatchObject({ subject: 'E-Rechnung 123456XX abgelehnt: 1 Fehler', state: 'withheld' });
    const kept = await stack.json<{ accepted: boolean; findings: { ruleId: string }[] }>('erechnung', `/v1/invoices/${invoiceId}/report`);
    expect(kept.body.accepted).toBe(false);
    expect(kept.body.findings.map((f) => f.ruleId)).toContain('POSTSTELLE-LEITWEG-ID');
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.mails.filter((m) => m.to.includes('rechnungswesen@lieferant.example'))).toEqual([]);
    expect(probe.messages.some((m) => m.key === invoiceId)).toBe(false);
  }, 120000);

  it('handles a CII invoice and a hostile (DOCTYPE) one in the same mail, each on its own', async () => {
    const hostile = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;</Invoice>',
    );
    const raw = compose({
      from: SELLER,
      to: MAILBOX,
      subject: 'Zwei Rechnungen',
      messageId: '<inv-3@lieferant.example>',
      text: 'Anbei.',
      attachments: [
        { filename: 'begleitschreiben.pdf', content: Buffer.from('%PDF-1.4 x'), contentType: 'application/pdf' },
        { filename: 'cii.xml', content: CII, contentType: 'application/xml' },
        { filename: 'evil.xml', content: hostile, contentType: 'application/xml' },
      ],
    });
    const res = await postEmail(raw);
    expect(res.status).toBe(202);
    expect(res.body.invoices!.map((i) => [i.fileName, i.syntax])).toEqual([
      ['cii.xml', 'cii'],
      ['evil.xml', 'ubl-invoice'],
    ]);
    const [cii, evil] = await invoicesOf(res.body.inboundId, 2);
    expect(await replyOf(cii!)).toMatchObject({ subject: 'E-Rechnung 123456XX eingegangen', state: 'withheld' });
    expect((await replyOf(evil!)).subject).toMatch(/^E-Rechnung evil\.xml abgelehnt/);
    const report = await stack.json<{ findings: { ruleId: string }[] }>('erechnung', `/v1/invoices/${evil}/report`);
    expect(report.body.findings.map((f) => f.ruleId)).toContain('INPUT-DOCTYPE');
  }, 120000);

  it('refuses mail to the invoice mailbox that carries no e-invoice, with a specific reason', async () => {
    const res = await postEmail(
      compose({
        from: SELLER,
        to: MAILBOX,
        subject: 'Rechnung als PDF',
        text: 'Anbei.',
        attachments: [
          { filename: 'rechnung.pdf', content: Buffer.from('%PDF-1.4 zugferd'), contentType: 'application/pdf' },
          { filename: 'order.xml', content: Buffer.from('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>') },
        ],
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.title).toBe('EMAIL_NO_INVOICE');
    expect(res.body.detail).toContain("'order.xml'");
    const stored = await stack.json<{ status: string; reasonCode: string }>('intake', `/v1/email/messages/${res.body.inboundId}`);
    expect(stored.body).toMatchObject({ status: 'rejected', reasonCode: 'EMAIL_NO_INVOICE' });
  }, 30000);

  it('never opened a case for any of these mails, answered no unverified sender, and dead-lettered nothing', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.mails).toEqual([]);
    expect(probe.on(stack.topic('cases.received.v1'))).toHaveLength(0);
    expect(probe.on(stack.topic('dlq.erechnung.inbound-invoices.v1'))).toHaveLength(0);
  });
});
