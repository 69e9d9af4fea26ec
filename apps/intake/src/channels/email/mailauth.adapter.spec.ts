import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign';
import { type DnsResolver } from './email.ports';
import { MailauthAdapter } from './mailauth.adapter';

// The DKIM verdict and the signing domains that erechnung needs to answer an invoice only to an authenticated sender
// (ADR 0016). The message is signed for real; DNS, an outside system, is a resolver that serves the selector's key.

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

const message = (from: string) =>
  Buffer.from(
    [
      `From: Lieferant GmbH <${from}>`,
      'To: rechnungen@potsdam.example',
      'Reply-To: attacker@evil.example',
      'Subject: Rechnung 4711',
      'Message-ID: <4711@lieferant.example>',
      'Date: Sun, 06 Dec 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Anbei unsere Rechnung.',
      '',
    ].join('\r\n'),
  );

async function signed(from: string, signingDomain: string): Promise<Buffer> {
  const raw = message(from);
  const key = { signingDomain, selector: 'mail', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  // The signer reads `signatureData`; the type declarations ask for the same fields at the top level as well.
  const { signatures } = await dkimSign(raw, { canonicalization: 'relaxed/relaxed', ...key, signatureData: [key] });
  return Buffer.concat([Buffer.from(signatures), raw]);
}

const dns: DnsResolver = (domain, rrtype) => {
  if (rrtype === 'TXT' && (domain === 'mail._domainkey.lieferant.example' || domain === 'mail._domainkey.mailer.example'))
    return Promise.resolve([[keyRecord]]);
  return Promise.reject(Object.assign(new Error(`no ${rrtype} for ${domain}`), { code: 'ENOTFOUND' }));
};

describe('MailauthAdapter: DKIM signing domains', () => {
  const adapter = new MailauthAdapter(dns);
  const envelope = { mailFrom: 'bounce@lieferant.example', rcptTo: ['rechnungen@potsdam.example'] };

  it('reports a passing signature with its signing domain', async () => {
    const auth = await adapter.authenticate(await signed('buchhaltung@lieferant.example', 'lieferant.example'), envelope);
    expect(auth.dkim).toBe('pass');
    expect(auth.dkimDomains).toEqual(['lieferant.example']);
  });

  it('names the domain that signed, also when it is not the From domain (alignment is decided later)', async () => {
    const auth = await adapter.authenticate(await signed('buchhaltung@lieferant.example', 'mailer.example'), envelope);
    expect(auth.dkim).toBe('pass');
    expect(auth.dkimDomains).toEqual(['mailer.example']);
  });

  it('reports no signing domain for a message altered after signing', async () => {
    const tampered = Buffer.from((await signed('buchhaltung@lieferant.example', 'lieferant.example')).toString().replace('4711', '4712'));
    const auth = await adapter.authenticate(tampered, envelope);
    expect(auth.dkim).not.toBe('pass');
    expect(auth.dkimDomains).toEqual([]);
  });

  it('reports none for an unsigned message', async () => {
    const auth = await adapter.authenticate(message('buchhaltung@lieferant.example'), envelope);
    expect(auth).toMatchObject({ dkim: 'none', dkimDomains: [] });
  });
});
