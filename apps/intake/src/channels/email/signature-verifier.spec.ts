import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as openpgp from 'openpgp';
import { testPki } from '@poststelle/testing';
import { findSignedParts } from './mime-signed';
import { loadTrustStore } from '../../core';
import { SignatureVerifierAdapter, loadKeyring } from './signature-verifier.adapter';

const EML = resolve(__dirname, '../../../../../../shared/testdata/eml');

/** A test CA and a signer certificate made with openssl at test time; messages signed with `openssl smime -sign`. */
describe('email signature verification', () => {
  let dir: string;
  let trustDir: string;
  let emptyDir: string;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  const file = (name: string) => readFileSync(join(dir, name));
  const headers = 'From: erika@example.org\r\nTo: antraege@stadt.example\r\nSubject: Antrag PS-12345678\r\n';
  let detached: Buffer;
  let opaque: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ps-smime-'));
    trustDir = join(dir, 'trust');
    emptyDir = join(dir, 'empty');
    execFileSync('mkdir', ['-p', trustDir, emptyDir]);
    await testPki(dir, { ca: '/CN=Poststelle Test CA', signer: '/CN=Erika Mustermann/emailAddress=erika@example.org' });
    writeFileSync(join(trustDir, 'ca.pem'), file('ca.pem'));
    writeFileSync(join(dir, 'body.txt'), 'Content-Type: text/plain; charset=utf-8\r\n\r\nHiermit reiche ich den Nachweis nach.\r\n');
    openssl('smime', '-sign', '-in', 'body.txt', '-signer', 'signer.pem', '-inkey', 'signer.key', '-out', 'detached.eml');
    openssl('cms', '-sign', '-nodetach', '-in', 'body.txt', '-signer', 'signer.pem', '-inkey', 'signer.key', '-out', 'opaque.eml');
    detached = Buffer.concat([Buffer.from(headers), file('detached.eml')]);
    opaque = Buffer.concat([Buffer.from(headers), file('opaque.eml')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const untrusting = () => new SignatureVerifierAdapter(loadTrustStore(emptyDir), []);
  const trusting = (now?: () => Date) => new SignatureVerifierAdapter(loadTrustStore(trustDir), [], now);

  it('finds the signed parts of multipart/signed and opaque pkcs7-mime', () => {
    expect(findSignedParts(detached)).toMatchObject({ kind: 'smime', form: 'detached' });
    expect(findSignedParts(opaque)).toMatchObject({ kind: 'smime', form: 'opaque' });
    expect(findSignedParts(Buffer.from(`${headers}Content-Type: text/plain\r\n\r\nhallo\r\n`))).toBeUndefined();
  });

  it('S/MIME: a valid signature with an empty trust store is valid but untrusted, with the signer certificate recorded', async () => {
    const r = await untrusting().verify(detached);
    expect(r).toMatchObject({ kind: 'smime', signatureValid: true, certificateTrusted: false, reason: 'untrusted-chain' });
    expect(r.signer).toMatchObject({
      subject: expect.stringContaining('CN=Erika Mustermann') as unknown,
      issuer: 'CN=Poststelle Test CA',
      serialNumber: expect.stringMatching(/^[0-9A-F]+$/) as unknown,
    });
    expect(Date.parse(r.signer!.notAfter!)).toBeGreaterThan(Date.now());
  });

  it('S/MIME: trusted when the chain reaches the trust store; opaque signed-data too', async () => {
    expect(await trusting().verify(detached)).toMatchObject({ signatureValid: true, certificateTrusted: true });
    expect((await trusting().verify(detached)).reason).toBeUndefined();
    expect(await trusting().verify(opaque)).toMatchObject({ kind: 'smime', signatureValid: true, certificateTrusted: true });
  });

  it('S/MIME: a tampered body is not valid', async () => {
    const tampered = Buffer.from(detached.toString('latin1').replace('den Nachweis', 'die Rechnung'), 'latin1');
    expect(await trusting().verify(tampered)).toMatchObject({ signatureValid: false, certificateTrusted: false, reason: 'bad-signature' });
  });

  it('S/MIME: a message stored with bare LF line endings still verifies (canonical CRLF)', async () => {
    const lf = Buffer.from(detached.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    expect(await trusting().verify(lf)).toMatchObject({ signatureValid: true, certificateTrusted: true });
  });

  it('S/MIME: an expired signer certificate is valid but not trusted (certificate-expired)', async () => {
    const later = () => new Date(Date.now() + 20 * 24 * 3600 * 1000);
    expect(await trusting(later).verify(detached)).toMatchObject({
      signatureValid: true,
      certificateTrusted: false,
      reason: 'certificate-expired',
    });
  });

  it('S/MIME: garbage in the signature part is malformed, never a crash', async () => {
    const broken = Buffer.from(detached.toString('latin1').replace(/MII[A-Za-z0-9+/]{20}/, 'AAAAAAAAAAAAAAAAAAAAAAA'), 'latin1');
    expect(await trusting().verify(broken)).toMatchObject({ signatureValid: false, reason: 'malformed-signature' });
  });

  describe('PGP/MIME', () => {
    let key: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey };
    const part = 'Content-Type: text/plain; charset=utf-8\r\n\r\nHiermit reiche ich den Nachweis nach.\r\n';
    const pgpMessage = (signature: string, content = part) =>
      Buffer.from(
        `${headers}MIME-Version: 1.0\r\nContent-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="b1"\r\n\r\n` +
          `--b1\r\n${content}\r\n--b1\r\nContent-Type: application/pgp-signature; name="signature.asc"\r\n\r\n${signature}\r\n--b1--\r\n`,
      );
    let signature: string;

    beforeAll(async () => {
      const generated = await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ email: 'erika@example.org' }],
        format: 'object',
      });
      key = { privateKey: generated.privateKey, publicKey: generated.publicKey };
      const message = await openpgp.createMessage({ binary: new Uint8Array(Buffer.from(part)) });
      signature = (await openpgp.sign({ message, signingKeys: key.privateKey, detached: true, format: 'object' })).armor();
      writeFileSync(join(dir, 'keyring.asc'), key.publicKey.armor());
    });

    it('a known key: valid and trusted; key id and fingerprint recorded', async () => {
      const keyringDir = join(dir, 'keyring');
      execFileSync('mkdir', ['-p', keyringDir]);
      writeFileSync(join(keyringDir, 'erika.asc'), key.publicKey.armor());
      const verifier = new SignatureVerifierAdapter([], await loadKeyring(keyringDir));
      const r = await verifier.verify(pgpMessage(signature));
      expect(r).toMatchObject({ kind: 'pgp', signatureValid: true, certificateTrusted: true });
      expect(r.signer?.fingerprint).toBe(key.publicKey.getFingerprint());
      const tampered = await verifier.verify(pgpMessage(signature, part.replace('Nachweis', 'Widerruf')));
      expect(tampered).toMatchObject({ signatureValid: false, reason: 'bad-signature' });
    });

    it('an unknown key: not valid, reason unknown-key', async () => {
      const r = await new SignatureVerifierAdapter([], []).verify(pgpMessage(signature));
      expect(r).toMatchObject({ kind: 'pgp', signatureValid: false, certificateTrusted: false, reason: 'unknown-key' });
      expect(r.signer?.keyId).toMatch(/^[0-9a-f]{16}$/);
    });
  });

  it('the public fixture with a PGP "signature" (zbateson m4002, not a real signature) is malformed; unsigned fixtures are not-signed', async () => {
    const verifier = new SignatureVerifierAdapter([], []);
    expect(await verifier.verify(readFileSync(join(EML, 'zbateson-mmp__m4002.eml')))).toEqual({
      kind: 'pgp',
      signatureValid: false,
      certificateTrusted: false,
      reason: 'malformed-signature',
    });
    expect(await verifier.verify(readFileSync(join(EML, 'mailparser__mixed.eml')))).toMatchObject({ kind: 'none', reason: 'not-signed' });
  });
});
