import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  classifyNotACase,
  detectSignature,
  signatureEvidence,
  formDataTarget,
  resolveTarget,
  safeFileName,
  safeMediaType,
  subjectTokens,
} from './email-rules';
import { MailauthAdapter, offlineResolver } from './mailauth.adapter';
import { MailparserAdapter } from './mailparser.adapter';
import { EmailErrorCode } from './email.exception';

const EML = resolve(__dirname, '../../../../../../shared/testdata/eml');
const files = readdirSync(EML).filter((f) => f.endsWith('.eml'));
const parser = new MailparserAdapter();
const parse = (name: string) => parser.parse(readFileSync(join(EML, name)));

describe('email rules over the public .eml fixtures', () => {
  it('finds all 18 fixtures', () => expect(files).toHaveLength(18));

  it.each(files)('%s parses without throwing', async (name) => {
    const parsed = await parse(name);
    expect(typeof parsed.contentType).toBe('string');
  });

  it.each([
    ['mailparser__delivery-status.eml', EmailErrorCode.Bounce],
    ['mimekit__disposition-notification.eml', EmailErrorCode.ReadReceipt],
    ['zbateson-mmp__m4006.eml', EmailErrorCode.ReadReceipt],
    ['postal-mime__arf.eml', EmailErrorCode.FeedbackReport],
  ])('%s is recognised as not a case (%s)', async (name, code) => {
    expect(classifyNotACase(await parse(name))?.code).toBe(code);
  });

  it.each(['zbateson-mmp__m0010.eml', 'zbateson-mmp__m0017.eml', 'zbateson-mmp__m3001.eml', 'mailparser__nested.eml'])(
    '%s is ordinary mail',
    async (name) => expect(classifyNotACase(await parse(name))).toBeUndefined(),
  );

  it('decodes a windows-1252 body and keeps TNEF as an opaque attachment', async () => {
    expect((await parse('zbateson-mmp__m0010.eml')).subject).toContain('Frösche');
    const tnef = await parse('zbateson-mmp__m4006.eml');
    expect(tnef.attachments.map((a) => [a.fileName, a.contentType])).toEqual([['winmail.dat', 'application/ms-tnef']]);
  });

  it('detects a PGP signature (multipart/signed) but never claims it verified', async () => {
    expect(detectSignature(await parse('zbateson-mmp__m4002.eml'))).toBe('pgp');
    expect(detectSignature(await parse('zbateson-mmp__m0010.eml'))).toBe('none');
  });

  it('detects an S/MIME signature from smime.p7s', () => {
    expect(
      detectSignature({
        recipients: [],
        headers: {},
        contentType: 'multipart/signed',
        contentTypeParams: { protocol: 'application/pkcs7-signature' },
        hasHtml: false,
        attachments: [{ fileName: 'smime.p7s', contentType: 'application/pkcs7-signature', content: Buffer.alloc(1) }],
      }),
    ).toBe('smime');
  });

  it('flags auto-replies and spam from their headers', () => {
    const mail = (headers: Record<string, string[]>) => ({
      recipients: [],
      headers,
      contentType: 'text/plain',
      contentTypeParams: {},
      hasHtml: false,
      attachments: [],
    });
    expect(classifyNotACase(mail({ 'auto-submitted': ['auto-replied'] }))?.code).toBe(EmailErrorCode.AutoReply);
    expect(classifyNotACase(mail({ 'x-autoreply': ['yes'] }))?.code).toBe(EmailErrorCode.AutoReply);
    expect(classifyNotACase(mail({ precedence: ['bulk'] }))?.code).toBe(EmailErrorCode.AutoReply);
    expect(classifyNotACase(mail({ 'auto-submitted': ['no'] }))).toBeUndefined();
    expect(classifyNotACase(mail({ 'x-spam-flag': ['YES'] }))?.code).toBe(EmailErrorCode.Spam);
  });

  it('never reports a DNS failure as anything but temperror', async () => {
    const auth = await new MailauthAdapter(offlineResolver).authenticate(readFileSync(join(EML, 'zbateson-mmp__m0010.eml')), {
      mailFrom: 'doug@example.com',
      rcptTo: [],
      clientIp: '192.0.2.1',
    });
    expect(auth.spf).toBe('temperror');
    expect(['none', 'temperror']).toContain(auth.dkim);
    expect(['none', 'temperror']).toContain(auth.dmarc);
  });
});

describe('safe attachment names and types', () => {
  it.each([
    ['C:\\Users\\x\\antrag.pdf', 'antrag.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..', 'attachment-1.bin'],
    [undefined, 'attachment-1.bin'],
    ['a\u0000b.pdf', 'a_b.pdf'],
    ['.hidden', 'hidden'],
  ])('%s → %s', (input, expected) => expect(safeFileName(input, 0, 'application/x-unknown')).toBe(expected));

  it('maps a missing subtype to octet-stream', () => expect(safeMediaType('application-x-gzip')).toBe('application/octet-stream'));
});

describe('routing an email to tenant and service', () => {
  it('reads subject tokens', () => {
    expect(subjectTokens('Antrag [LeiKa:99050012104000] [ARS:120540000000]')).toEqual({ leikaKey: '99050012104000', ars: '120540000000' });
  });
  it('reads form data targets', () => {
    expect(formDataTarget({ antrag: { leikaKey: '99050012104000', ars: '120540000000' } })).toEqual({
      leikaKey: '99050012104000',
      ars: '120540000000',
    });
    expect(formDataTarget({ publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000' } })).toEqual({
      leikaKey: '99050012104000',
    });
  });
  it('prefers explicit data over the mailbox, and explains what is missing', () => {
    const mailbox = { address: 'a@b.de', tenantArs: '120540000000', leikaKey: '99000000000000' };
    expect(resolveTarget(mailbox, { leikaKey: '99050012104000' }, {})).toEqual({ tenantArs: '120540000000', leikaKey: '99050012104000' });
    expect(resolveTarget(undefined, {}, {})).toMatchObject({ code: EmailErrorCode.Unroutable });
    expect(resolveTarget({ address: 'a@b.de', tenantArs: '120540000000' }, {}, {})).toMatchObject({
      code: EmailErrorCode.Unroutable,
    });
  });
});

describe('signature evidence', () => {
  const valid = { kind: 'smime' as const, signatureValid: true, certificateTrusted: false, reason: 'untrusted-chain' as const };
  it('keeps signatureValid apart from certificateTrusted; signatureVerified needs both', () => {
    expect(signatureEvidence('smime', valid)).toEqual({
      signature: 'smime',
      signatureVerified: false,
      signatureValid: true,
      certificateTrusted: false,
      signatureReason: 'untrusted-chain',
    });
    expect(signatureEvidence('smime', { ...valid, certificateTrusted: true, reason: undefined } as never)).toMatchObject({
      signatureVerified: true,
      signatureValid: true,
      certificateTrusted: true,
    });
  });
  it('a detected signature that could not be verified here is reported as unsupported, never as verified', () => {
    expect(signatureEvidence('pgp', undefined)).toMatchObject({
      signature: 'pgp',
      signatureVerified: false,
      signatureReason: 'unsupported',
    });
    expect(
      signatureEvidence('pgp', { kind: 'none', signatureValid: false, certificateTrusted: false, reason: 'not-signed' }),
    ).toMatchObject({
      signatureValid: false,
      signatureReason: 'unsupported',
    });
    expect(signatureEvidence('none', undefined)).toEqual({ signature: 'none', signatureVerified: false });
  });
});
