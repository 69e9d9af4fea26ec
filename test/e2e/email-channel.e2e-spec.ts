import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { CaseEvidenceAddedV1, validateContract } from '@poststelle/contracts';
import { KafkaProbe, Stack, minimalPdf, testPki, waitFor } from '@poststelle/testing';

const EML = resolve(__dirname, '../../../shared/testdata/eml');
const LEIKA = '99050012104000';
const TENANT = '120540000000';
const MAILBOX = 'antraege@stadt.example';
const FIXTURE_RECIPIENTS = [
  'mueller@example.com',
  'jblow@example.com',
  'blow@example.com',
  'recipient@email.test',
  'wwer@iiieww.net',
  'andris@ethereal.email',
  'someone.else@somewhere.else.com',
  'jschmuergen@example.com',
  'jane_sender@example.org',
  'abuse@example.net',
  'xxxxx@gmail.com',
];

type Outcome = { status?: string; caseId?: string; caseReference?: string; inboundId: string; rawMessageSha512: string; title?: string };

describe('email channel: SMTP and POST /v1/email', () => {
  let stack: Stack;

  const postEmail = (raw: Buffer | string, query = '') =>
    stack.json<Outcome>('intake', `/v1/email${query}`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw });
  const compose = (opts: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(opts).compile().build();

  beforeAll(async () => {
    stack = await new Stack({ extraEnv: { SMTP_MAX_MESSAGE_BYTES: String(512 * 1024) } }).start();
    for (const address of [MAILBOX, ...FIXTURE_RECIPIENTS]) {
      const r = await stack.json('intake', `/v1/admin/mailboxes/${encodeURIComponent(address)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantArs: TENANT, leikaKey: LEIKA, name: 'Bürgerbüro' }),
      });
      expect(r.status).toBe(200);
    }
  }, 180000);

  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  it('turns every public .eml fixture into a case or an explained rejection; bounces and receipts never become cases', async () => {
    const files = readdirSync(EML).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(18);
    const outcomes: Record<string, { status: string; reason?: string }> = {};
    for (const name of files) {
      const raw = readFileSync(join(EML, name));
      const res = await postEmail(raw);
      expect([202, 422]).toContain(res.status);
      const stored = await stack.json<{ status: string; reasonCode: string | null; reason: string | null; caseId: string | null }>(
        'intake',
        `/v1/email/messages/${res.body.inboundId}`,
      );
      expect(stored.status).toBe(200);
      if (res.status === 202) {
        expect(['case', 'follow-up']).toContain(stored.body.status);
        expect(stored.body.caseId).toEqual(res.body.caseId);
      } else {
        expect(stored.body.status).toBe('rejected');
        expect(stored.body.reasonCode).toBe(res.body.title);
        expect(stored.body.reason!.length).toBeGreaterThan(10);
      }
      outcomes[name] = { status: stored.body.status, ...(stored.body.reasonCode ? { reason: stored.body.reasonCode } : {}) };
      const back = await stack.fetch('intake', `/v1/email/raw/${res.body.rawMessageSha512}`);
      expect(back.status).toBe(200);
      expect(Buffer.from(await back.arrayBuffer()).equals(raw)).toBe(true);
    }
    expect(outcomes['mailparser__delivery-status.eml']).toEqual({ status: 'rejected', reason: 'EMAIL_BOUNCE' });
    expect(outcomes['mimekit__disposition-notification.eml']).toEqual({ status: 'rejected', reason: 'EMAIL_READ_RECEIPT' });
    expect(outcomes['zbateson-mmp__m4006.eml']).toEqual({ status: 'rejected', reason: 'EMAIL_READ_RECEIPT' });
    expect(outcomes['postal-mime__arf.eml']).toEqual({ status: 'rejected', reason: 'EMAIL_FEEDBACK_REPORT' });
    expect(outcomes['mailparser__spam.eml']).toEqual({ status: 'rejected', reason: 'EMAIL_UNROUTABLE' });
    for (const name of [
      'zbateson-mmp__m0010.eml',
      'zbateson-mmp__m0017.eml',
      'zbateson-mmp__m4002.eml',
      'postal-mime__calendar-event.eml',
    ]) {
      expect(outcomes[name]).toEqual({ status: 'case' });
    }
    expect((await stack.json('intake', '/health')).status).toBe(200);
  }, 120000);

  it('records evidence: a plain email never meets the written form, a PGP signature is detected but not claimed verified', async () => {
    const res = await postEmail(readFileSync(join(EML, 'zbateson-mmp__m4002.eml')));
    expect(res.status).toBe(202);
    const view = await stack.json<{ case: Record<string, unknown> & { channel: { email: Record<string, unknown> } } }>(
      'intake',
      `/v1/cases/${res.body.caseId}`,
    );
    expect(view.body.case.channel.email).toMatchObject({
      rawMessageSha512: res.body.rawMessageSha512,
      signature: 'pgp',
      signatureVerified: false,
      // the fixture's "signature" part is a hex string, not an OpenPGP signature
      signatureValid: false,
      signatureReason: 'malformed-signature',
      dkim: expect.stringMatching(/^(none|temperror)$/) as unknown,
    });
    expect(view.body.case['writtenForm']).toMatchObject({ satisfied: false });
    const attachments = view.body.case['attachments'] as { fileName: string; sha512: string }[];
    expect(attachments.map((a) => a.fileName)).toEqual(expect.arrayContaining(['blueball.png', 'greenball.png', 'redball.png']));
  }, 30000);

  it('verifies an S/MIME signature (openssl, test CA): valid but untrusted without a trust store; tampered → not valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-smime-e2e-'));
    try {
      const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      await testPki(dir, { ca: '/CN=Test CA', signer: '/CN=Erika Mustermann' }, 1);
      writeFileSync(
        join(dir, 'body.txt'),
        'Content-Type: text/plain; charset=utf-8\r\n\r\nHiermit beantrage ich einen Bewohnerparkausweis.\r\n',
      );
      openssl('smime', '-sign', '-in', 'body.txt', '-signer', 'signer.pem', '-inkey', 'signer.key', '-out', 'signed.eml');
      const head = `From: erika@example.org\r\nTo: ${MAILBOX}\r\nSubject: Antrag [LeiKa:${LEIKA}]\r\nMessage-ID: <${Date.now()}@example.org>\r\n`;
      const signed = Buffer.concat([Buffer.from(head), readFileSync(join(dir, 'signed.eml'))]);
      const res = await postEmail(signed);
      expect(res.status).toBe(202);
      const view = await stack.json<{ case: { channel: { email: Record<string, unknown> }; writtenForm: Record<string, unknown> } }>(
        'intake',
        `/v1/cases/${res.body.caseId}`,
      );
      expect(view.body.case.channel.email).toMatchObject({
        signature: 'smime',
        signatureValid: true,
        certificateTrusted: false,
        signatureVerified: false,
        signatureReason: 'untrusted-chain',
        signer: { subject: 'CN=Erika Mustermann', issuer: 'CN=Test CA' },
      });
      // Even a valid S/MIME signature is no qualified electronic signature: the written form is not met.
      expect(view.body.case.writtenForm).toMatchObject({ means: 'none', satisfied: false });

      const tampered = Buffer.from(signed.toString('latin1').replace('Bewohnerparkausweis', 'Waffenschein'), 'latin1');
      const bad = await postEmail(tampered);
      const badView = await stack.json<{ case: { channel: { email: Record<string, unknown> } } }>('intake', `/v1/cases/${bad.body.caseId}`);
      expect(badView.body.case.channel.email).toMatchObject({
        signature: 'smime',
        signatureValid: false,
        signatureReason: 'bad-signature',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30000);

  it('takes mail over a real SMTP socket and attaches a reply quoting the case reference to that case', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const sent = await transport.sendMail({
      from: 'erika@example.org',
      to: MAILBOX,
      subject: `Antrag Bewohnerparken [LeiKa:${LEIKA}]`,
      text: 'Hiermit beantrage ich einen Bewohnerparkausweis.',
      attachments: [{ filename: '..\\..\\fahrzeugschein.pdf', content: minimalPdf('test'), contentType: 'application/pdf' }],
    });
    const inboundId = /queued as ([0-9a-f-]{36})/.exec(sent.response)![1]!;
    const first = await stack.json<{ status: string; caseId: string }>('intake', `/v1/email/messages/${inboundId}`);
    expect(first.body.status).toBe('case');
    const view = await stack.json<{ caseReference: string; case: { attachments: { fileName: string }[] } }>(
      'intake',
      `/v1/cases/${first.body.caseId}`,
    );
    expect(view.body.caseReference).toMatch(/^PS-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]$/);
    expect(view.body.case.attachments.map((a) => a.fileName)).toEqual(['fahrzeugschein.pdf']);

    const probe = await new KafkaProbe().start([stack.topic('cases.evidence.v1')]);
    const nachweis = minimalPdf('nachweis');
    const reply = await transport.sendMail({
      from: 'erika@example.org',
      to: MAILBOX,
      subject: `Re: Ihr Antrag ${view.body.caseReference}`,
      text: 'Anbei der fehlende Nachweis.',
      attachments: [{ filename: 'nachweis.pdf', content: nachweis }],
    });
    const replyId = /queued as ([0-9a-f-]{36})/.exec(reply.response)![1]!;
    const followUp = await stack.json<{ status: string; caseId: string }>('intake', `/v1/email/messages/${replyId}`);
    expect(followUp.body).toMatchObject({ status: 'follow-up', caseId: first.body.caseId });
    const timeline = await waitFor('follow-up on the timeline', async () => {
      const r = await stack.json<{ timeline: { type: string; attachments?: string[] }[] }>('intake', `/v1/cases/${first.body.caseId}`);
      return r.body.timeline.find((t) => t.type === 'email.follow-up');
    });
    expect(timeline.attachments).toHaveLength(1);
    // ... and the follow-up's evidence is published for routing (outbox → cases.evidence.v1, key = case id).
    try {
      const [evidence] = await probe.waitForCount(stack.topic('cases.evidence.v1'), 1);
      expect(evidence!.key).toBe(first.body.caseId);
      const envelope = JSON.parse(evidence!.value!) as { type: string; correlationId: string; payload: unknown };
      expect(envelope.type).toBe('case.evidence-added');
      const payload = validateContract(CaseEvidenceAddedV1, envelope.payload);
      expect(payload).toMatchObject({
        caseId: first.body.caseId,
        channel: 'email',
        writtenForm: { means: 'none', satisfied: false },
        email: { signature: 'none', signatureVerified: false },
      });
      const raw = await stack.json<{ rawMessageSha512: string }>('intake', `/v1/email/messages/${replyId}`);
      expect(payload.email?.rawMessageSha512).toBe(raw.body.rawMessageSha512);
      expect(payload.attachments?.map((a) => [a.fileName, a.sha512, a.sizeBytes])).toEqual([
        ['nachweis.pdf', createHash('sha512').update(nachweis).digest('hex'), nachweis.length],
      ]);
    } finally {
      await probe.stop();
    }

    await expect(
      transport.sendMail({ from: 'x@example.org', to: MAILBOX, subject: 'big', text: 'x'.repeat(600 * 1024) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    transport.close();
  }, 60000);

  it("never attaches mail to another tenant's case: a reply to another authority's mailbox quoting the reference opens a case there", async () => {
    const OTHER_MAILBOX = 'poststelle@amt-other.example';
    const OTHER_TENANT = '010010000000';
    const put = await stack.json('intake', `/v1/admin/mailboxes/${encodeURIComponent(OTHER_MAILBOX)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantArs: OTHER_TENANT, leikaKey: LEIKA, name: 'Andere Behörde' }),
    });
    expect(put.status).toBe(200);
    const own = await postEmail(
      await compose({ from: 'erika@example.org', to: MAILBOX, subject: `Antrag [LeiKa:${LEIKA}]`, text: 'Antrag auf Bewohnerparken.' }),
    );
    expect(own.body.status).toBe('case');
    const ownCase = own.body.caseId!;
    const reference = own.body.caseReference!;
    const timelineOf = async (caseId: string) =>
      (await stack.json<{ timeline: { type: string }[] }>('intake', `/v1/cases/${caseId}`)).body.timeline.filter(
        (t) => t.type === 'email.follow-up',
      );

    // Somebody writes to the other authority, quoting (or guessing) Potsdam's case reference.
    const foreign = await postEmail(
      await compose({
        from: 'mallory@example.org',
        to: OTHER_MAILBOX,
        subject: `Re: ${reference} [LeiKa:${LEIKA}]`,
        text: `Zu ${reference}: Nachtrag.`,
      }),
    );
    expect(foreign.body.status).toBe('case');
    expect(foreign.body.caseId).not.toBe(ownCase);
    const other = await stack.json<{ case: { tenant: { ars: string } } }>('intake', `/v1/cases/${foreign.body.caseId!}`);
    expect(other.body.case.tenant.ars).toBe(OTHER_TENANT);
    expect(await timelineOf(ownCase)).toEqual([]);

    // A mistyped reference (wrong check character) attaches nowhere either; the right one, to the owner's mailbox, does.
    const typo = `${reference.slice(0, -1)}${reference.endsWith('0') ? '1' : '0'}`;
    const mistyped = await postEmail(
      await compose({ from: 'erika@example.org', to: MAILBOX, subject: `Re: ${typo} [LeiKa:${LEIKA}]`, text: 'Nachtrag.' }),
    );
    expect(mistyped.body.status).toBe('case');
    const right = await postEmail(
      await compose({ from: 'erika@example.org', to: MAILBOX, subject: `Re: ${reference}`, text: 'Nachtrag.' }),
    );
    expect(right.body).toMatchObject({ status: 'follow-up', caseId: ownCase });
  }, 60000);

  it('never drops attachments silently: 60 → EMAIL_TOO_MANY_ATTACHMENTS (raw kept), for a new case and a follow-up; 50 are all kept', async () => {
    const many = (prefix: string) =>
      Array.from({ length: 60 }, (_, i) => ({ filename: `${prefix}-${i + 1}.txt`, content: `Seite ${i + 1}`, contentType: 'text/plain' }));
    const raw = await compose({
      from: 'erika@example.org',
      to: MAILBOX,
      subject: `Antrag [LeiKa:${LEIKA}]`,
      text: 'Anbei 60 Seiten.',
      attachments: many('seite'),
    });
    const refused = await postEmail(raw);
    expect({ status: refused.status, title: refused.body.title }).toEqual({ status: 422, title: 'EMAIL_TOO_MANY_ATTACHMENTS' });
    const stored = await stack.json<{ status: string; reasonCode: string; reason: string }>(
      'intake',
      `/v1/email/messages/${refused.body.inboundId}`,
    );
    expect(stored.body).toMatchObject({ status: 'rejected', reasonCode: 'EMAIL_TOO_MANY_ATTACHMENTS' });
    expect(stored.body.reason).toContain('60 attachments');
    const back = await stack.fetch('intake', `/v1/email/raw/${refused.body.rawMessageSha512}`);
    expect(Buffer.from(await back.arrayBuffer()).equals(raw)).toBe(true);

    const first = await postEmail(
      await compose({
        from: 'erika@example.org',
        to: MAILBOX,
        subject: `Antrag [LeiKa:${LEIKA}]`,
        text: 'Antrag.',
        attachments: many('a').slice(0, 1),
      }),
    );
    expect(first.status).toBe(202);
    const reply = await postEmail(
      await compose({
        from: 'erika@example.org',
        to: MAILBOX,
        subject: `Re: ${first.body.caseReference}`,
        text: 'Nachweise.',
        attachments: many('nachweis'),
      }),
    );
    expect({ status: reply.status, title: reply.body.title }).toEqual({ status: 422, title: 'EMAIL_TOO_MANY_ATTACHMENTS' });
    const fifty = await postEmail(
      await compose({
        from: 'erika@example.org',
        to: MAILBOX,
        subject: `Re: ${first.body.caseReference}`,
        text: 'Nachweise.',
        attachments: many('nachweis').slice(0, 50),
      }),
    );
    expect(fifty.body).toMatchObject({ status: 'follow-up', caseId: first.body.caseId });
    const entry = await waitFor('follow-up on the timeline', async () => {
      const r = await stack.json<{ timeline: { type: string; attachments?: string[] }[] }>('intake', `/v1/cases/${first.body.caseId}`);
      return r.body.timeline.find((t) => t.type === 'email.follow-up');
    });
    expect(entry.attachments).toHaveLength(50);
  }, 60000);

  describe('hostile input is refused with a clear reason, kept, and the service keeps serving', () => {
    const withAttachment = (filename: string, content: Buffer, contentType: string) =>
      compose({
        from: 'mallory@example.org',
        to: MAILBOX,
        subject: 'Antrag',
        text: 'siehe Anhang',
        attachments: [{ filename, content, contentType }],
      });

    it.each([
      [
        'XML form data with an external entity',
        () =>
          withAttachment(
            'antrag.xml',
            Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'),
            'application/xml',
          ),
        'XML_DOCTYPE_FORBIDDEN',
      ],
      [
        'XML entity expansion (billion laughs)',
        () =>
          withAttachment(
            'antrag.xml',
            Buffer.from('<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;&b;</l>'),
            'application/xml',
          ),
        'XML_DOCTYPE_FORBIDDEN',
      ],
      [
        'malformed XML form data',
        () => withAttachment('antrag.xml', Buffer.from('<antrag><a></antrag>'), 'application/xml'),
        'FORM_DATA_MALFORMED',
      ],
      [
        'form data that is not UTF-8',
        () => withAttachment('antrag.json', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'application/json'),
        'INVALID_UTF8',
      ],
      ['a gzip bomb', () => withAttachment('daten.gz', gzipSync(Buffer.alloc(64 * 1024 * 1024)), 'application/gzip'), 'ARCHIVE_BOMB'],
      [
        'an oversized message',
        () => Buffer.from(`From: a@example.org\r\nTo: ${MAILBOX}\r\nSubject: big\r\n\r\n${'x'.repeat(600 * 1024)}`),
        'EMAIL_TOO_LARGE',
      ],
    ])(
      '%s',
      async (_name, build, code) => {
        const raw = await build();
        const res = await postEmail(raw);
        expect(res.body.title).toBe(code);
        expect([413, 400, 422]).toContain(res.status);
        const back = await stack.fetch('intake', `/v1/email/raw/${res.body.rawMessageSha512}`);
        expect(Buffer.from(await back.arrayBuffer()).equals(raw)).toBe(true);
        expect((await stack.json('intake', '/health')).status).toBe(200);
      },
      60000,
    );

    it('refuses a body that is not message/rfc822', async () => {
      const res = await stack.json<{ title: string }>('intake', '/v1/email', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(res.status).toBe(415);
      expect(res.body.title).toBe('EMAIL_NOT_RFC822');
    });
  });
});
