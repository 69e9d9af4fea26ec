import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanCentrePki, scanIndexXml, sealIndex, type ScanCentrePki } from '@poststelle/testing';
import { loadTrustStore } from '../../core';
import { CmsIndexSealAdapter } from './index-seal.adapter';
import { sealVerdict } from './scan-rules';

/** The scan centre's seal over a batch index: a CA and scan-centre certificate made with openssl at test time. */
describe('scan index seal (TR-RESISCAN integrity and origin)', () => {
  let dir: string;
  let pki: ScanCentrePki;
  let other: ScanCentrePki;
  let trustDir: string;
  let otherTrustDir: string;
  const index = Buffer.from(
    scanIndexXml({
      batchId: 'B-seal',
      tenantArs: '120540000000',
      documents: [{ documentId: 'd1', fileName: 'a.pdf', content: Buffer.from('x') }],
    }),
  );
  let seal: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ps-seal-'));
    for (const d of ['centre', 'other', 'trust', 'trust-other']) mkdirSync(join(dir, d));
    pki = await scanCentrePki(join(dir, 'centre'));
    other = await scanCentrePki(join(dir, 'other'), 'Fremdes Scanzentrum');
    trustDir = join(dir, 'trust');
    otherTrustDir = join(dir, 'trust-other');
    writeFileSync(join(trustDir, 'scanzentrum-ca.pem'), readFileSync(pki.caPath));
    // DER in the trust store is read as well.
    execFileSync('openssl', ['x509', '-in', other.caPath, '-outform', 'DER', '-out', join(otherTrustDir, 'other-ca.der')]);
    seal = await sealIndex(index, pki);
  }, 60000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a seal over the index by a trusted scan centre is valid and trusted, with the scan-centre certificate as signer', async () => {
    const r = await CmsIndexSealAdapter.fromDirectory(trustDir).verify(index, seal);
    expect(r).toEqual({
      sealed: true,
      valid: true,
      trusted: true,
      signer: {
        subject: expect.stringContaining('CN=Scanzentrum Test Siegel') as unknown,
        issuer: expect.stringContaining('CN=Scanzentrum Test CA') as unknown,
        serialNumber: expect.stringMatching(/^[0-9A-F]+$/) as unknown,
        notBefore: expect.any(String) as unknown,
        notAfter: expect.any(String) as unknown,
      },
    });
    expect(sealVerdict(r, true)).toBeUndefined();
  });

  it('a tampered index (one document sha512 changed) no longer matches its seal: invalid', async () => {
    const tampered = Buffer.from(index.toString('utf8').replace(/<sha512>[0-9a-f]/, '<sha512>0'));
    expect(tampered.equals(index)).toBe(false);
    const r = await CmsIndexSealAdapter.fromDirectory(trustDir).verify(tampered, seal);
    expect(r).toMatchObject({ sealed: true, valid: false, trusted: false, reason: 'bad-signature' });
    expect(sealVerdict(r, true)).toBe('invalid');
    expect(sealVerdict(r, false)).toBeUndefined();
  });

  it('a seal by a scan centre outside the trust store is intact but untrusted', async () => {
    const r = await CmsIndexSealAdapter.fromDirectory(otherTrustDir).verify(index, seal);
    expect(r).toMatchObject({ sealed: true, valid: true, trusted: false, reason: 'untrusted-chain' });
    expect(sealVerdict(r, true)).toBe('untrusted');
    expect((await CmsIndexSealAdapter.fromDirectory('').verify(index, seal)).trusted).toBe(false);
  });

  it('an expired scan-centre certificate is untrusted', async () => {
    const in20Days = () => new Date(Date.now() + 20 * 86400_000);
    const expired = new CmsIndexSealAdapter(loadTrustStore(trustDir), in20Days);
    expect(await expired.verify(index, seal)).toMatchObject({ valid: true, trusted: false, reason: 'certificate-expired' });
  });

  it('a PEM seal is read like DER; garbage is a malformed seal', async () => {
    const pem = `-----BEGIN CMS-----\n${seal.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CMS-----\n`;
    expect(await CmsIndexSealAdapter.fromDirectory(trustDir).verify(index, Buffer.from(pem))).toMatchObject({ valid: true, trusted: true });
    const r = await CmsIndexSealAdapter.fromDirectory(trustDir).verify(index, Buffer.from('not a signature'));
    expect(r).toEqual({ sealed: true, valid: false, trusted: false, reason: 'malformed-signature' });
    expect(sealVerdict(r, true)).toBe('invalid');
  });

  it('no seal: refused only when seals are required, recorded as not sealed either way', async () => {
    const r = await CmsIndexSealAdapter.fromDirectory(trustDir).verify(index, undefined);
    expect(r).toEqual({ sealed: false, valid: false, trusted: false, reason: 'not-sealed' });
    expect(sealVerdict(r, true)).toBe('missing');
    expect(sealVerdict(r, false)).toBeUndefined();
  });
});
