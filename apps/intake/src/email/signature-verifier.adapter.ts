import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as openpgp from 'openpgp';
import * as pkijs from 'pkijs';
import { type SignatureVerification, type SignatureVerifierPort, type SignerFacts } from './email.ports';
import { canonicalCrlf, findSignedParts } from './mime-signed';

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const MAX_CHAIN = 10;

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function filesIn(dir: string): string[] {
  if (!dir) return [];
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** Certificates from PEM (one or many per file) or DER files in a directory. */
export function loadTrustStore(dir: string): X509Certificate[] {
  const certs: X509Certificate[] = [];
  for (const file of filesIn(dir)) {
    const bytes = readFileSync(file);
    const pems = bytes.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    for (const one of pems ?? [bytes]) {
      try {
        certs.push(new X509Certificate(one));
      } catch {
        throw new Error(`trust store file ${file} holds something that is not an X.509 certificate`);
      }
    }
  }
  return certs;
}

/** Public keys from armoured (`.asc`) or binary files in a directory. */
export async function loadKeyring(dir: string): Promise<openpgp.PublicKey[]> {
  const keys: openpgp.PublicKey[] = [];
  for (const file of filesIn(dir)) {
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    const read = text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')
      ? await openpgp.readKeys({ armoredKeys: text })
      : await openpgp.readKeys({ binaryKeys: new Uint8Array(bytes) });
    keys.push(...read.map((k) => k.toPublic()));
  }
  return keys;
}

const certFacts = (c: X509Certificate): SignerFacts => ({
  subject: c.subject.replace(/\n/g, ', '),
  issuer: c.issuer.replace(/\n/g, ', '),
  serialNumber: c.serialNumber,
  notBefore: new Date(c.validFrom).toISOString(),
  notAfter: new Date(c.validTo).toISOString(),
});

/**
 * Verifies S/MIME (CMS SignedData with pkijs, chain with Node's X509Certificate against a trust store directory)
 * and PGP/MIME (openpgp against a keyring directory). A valid signature with an untrusted chain is reported as
 * such (`signatureValid: true`, `certificateTrusted: false`). Nothing here is logged: signer names are personal data.
 */
export class SignatureVerifierAdapter implements SignatureVerifierPort {
  constructor(
    private readonly trustAnchors: X509Certificate[],
    private readonly keyring: openpgp.PublicKey[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async fromDirectories(trustStoreDir: string, keyringDir: string): Promise<SignatureVerifierAdapter> {
    return new SignatureVerifierAdapter(loadTrustStore(trustStoreDir), await loadKeyring(keyringDir));
  }

  async verify(raw: Buffer): Promise<SignatureVerification> {
    const parts = findSignedParts(raw);
    if (!parts) return { kind: 'none', signatureValid: false, certificateTrusted: false, reason: 'not-signed' };
    try {
      if (parts.kind === 'pgp') return await this.verifyPgp(parts.content, parts.signature);
      return await this.verifySmime(parts.signature, parts.form === 'detached' ? parts.content : undefined);
    } catch {
      return { kind: parts.kind, signatureValid: false, certificateTrusted: false, reason: 'malformed-signature' };
    }
  }

  private async verifySmime(der: Buffer, content: Buffer | undefined): Promise<SignatureVerification> {
    const fail = (reason: SignatureVerification['reason'], signer?: SignerFacts): SignatureVerification => ({
      kind: 'smime',
      signatureValid: false,
      certificateTrusted: false,
      ...(reason ? { reason } : {}),
      ...(signer ? { signer } : {}),
    });
    const asn = asn1js.fromBER(toArrayBuffer(der));
    if (asn.offset === -1) return fail('malformed-signature');
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== SIGNED_DATA) return fail('unsupported');
    const signed = new pkijs.SignedData({ schema: info.content });
    const certificates = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
    if (signed.signerInfos.length === 0 || certificates.length === 0) return fail('malformed-signature');

    const attempt = async (data: Buffer | undefined) => {
      try {
        return await signed.verify(
          // pkijs uses Node's global WebCrypto (Node ≥ 20).
          { signer: 0, ...(data ? { data: toArrayBuffer(data) } : {}), checkChain: false, extendedMode: true },
        );
      } catch (error) {
        // pkijs reports a failed check as a thrown SignedDataVerifyError that still carries the signer certificate.
        return error as pkijs.SignedDataVerifyResult;
      }
    };
    let result = await attempt(content);
    if (!result.signatureVerified && content) {
      const canonical = canonicalCrlf(content);
      if (!canonical.equals(content)) result = await attempt(canonical);
    }
    const signerCert = result.signerCertificate
      ? new X509Certificate(Buffer.from(result.signerCertificate.toSchema().toBER(false)))
      : undefined;
    const signer = signerCert ? certFacts(signerCert) : undefined;
    if (!signerCert) return fail('malformed-signature');
    if (!result.signatureVerified) return fail('bad-signature', signer);
    const pool = certificates.map((c) => new X509Certificate(Buffer.from(c.toSchema().toBER(false))));
    const chain = this.chainToAnchor(signerCert, pool);
    const now = this.now().getTime();
    const expired = chain.certs.some((c) => now < Date.parse(c.validFrom) || now > Date.parse(c.validTo));
    const trusted = chain.trusted && !expired;
    return {
      kind: 'smime',
      signatureValid: true,
      certificateTrusted: trusted,
      ...(trusted ? {} : { reason: chain.trusted ? 'certificate-expired' : 'untrusted-chain' }),
      signer,
    };
  }

  /** Walks issuer links (signature checked at each step) through the message's certificates to a trust anchor. */
  private chainToAnchor(leaf: X509Certificate, pool: X509Certificate[]): { trusted: boolean; certs: X509Certificate[] } {
    const certs = [leaf];
    let current = leaf;
    for (let depth = 0; depth < MAX_CHAIN; depth++) {
      if (this.trustAnchors.some((a) => a.fingerprint256 === current.fingerprint256)) return { trusted: true, certs };
      const anchor = this.trustAnchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
      if (anchor) return { trusted: true, certs: [...certs, anchor] };
      const next = pool.find((c) => c.fingerprint256 !== current.fingerprint256 && current.checkIssued(c) && current.verify(c.publicKey));
      if (!next) break;
      certs.push(next);
      current = next;
    }
    return { trusted: false, certs };
  }

  private async verifyPgp(content: Buffer, armoredSignature: string): Promise<SignatureVerification> {
    const signature = await openpgp.readSignature({ armoredSignature });
    const keyIds = signature.getSigningKeyIDs();
    const keyId = keyIds[0]?.toHex();
    const keys = this.keyring.filter((k) => keyIds.some((id) => k.getKeys(id).length > 0));
    if (keys.length === 0) {
      return {
        kind: 'pgp',
        signatureValid: false,
        certificateTrusted: false,
        reason: 'unknown-key',
        ...(keyId ? { signer: { keyId } } : {}),
      };
    }
    const signer: SignerFacts = { ...(keyId ? { keyId } : {}), fingerprint: keys[0]!.getFingerprint() };
    const message = await openpgp.createMessage({ binary: new Uint8Array(canonicalCrlf(content)) });
    const { signatures } = await openpgp.verify({ message, signature, verificationKeys: keys });
    try {
      await signatures[0]?.verified;
      if (!signatures[0]) throw new Error('no signature');
      return { kind: 'pgp', signatureValid: true, certificateTrusted: true, signer };
    } catch {
      return { kind: 'pgp', signatureValid: false, certificateTrusted: false, reason: 'bad-signature', signer };
    }
  }
}
