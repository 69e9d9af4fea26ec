import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * CMS (PKCS#7) SignedData verification shared by every channel that receives signatures: S/MIME e-mail and the
 * scan centre's seal over a batch index. pkijs checks the signature; Node's X509Certificate walks the chain to a
 * trust store directory. Never throws on bad input and logs nothing: signer names can be personal data.
 */

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const MAX_CHAIN = 10;

export type CmsFailure = 'malformed-signature' | 'unsupported' | 'bad-signature' | 'untrusted-chain' | 'certificate-expired';

/** The signer certificate: subject, issuer, serial and validity. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

export interface CmsVerification {
  /** The signature matches the signed content (nothing was altered after signing). */
  signatureValid: boolean;
  /** The signer certificate chains to a trust anchor and every certificate of the chain is within its validity. */
  certificateTrusted: boolean;
  /** Absent when valid and trusted. */
  reason?: CmsFailure;
  signer?: CertificateFacts;
}

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export function filesIn(dir: string): string[] {
  if (!dir) return [];
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** Certificates from PEM (one or many per file) or DER files in a directory; empty directory name = none. */
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

export const certificateFacts = (c: X509Certificate): CertificateFacts => ({
  subject: c.subject.replace(/\n/g, ', '),
  issuer: c.issuer.replace(/\n/g, ', '),
  serialNumber: c.serialNumber,
  notBefore: new Date(c.validFrom).toISOString(),
  notAfter: new Date(c.validTo).toISOString(),
});

/** Walks issuer links (signature checked at each step) through the given certificates to a trust anchor. */
function chainToAnchor(
  leaf: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
): { trusted: boolean; certs: X509Certificate[] } {
  const certs = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (anchors.some((a) => a.fingerprint256 === current.fingerprint256)) return { trusted: true, certs };
    const anchor = anchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
    if (anchor) return { trusted: true, certs: [...certs, anchor] };
    const next = pool.find((c) => c.fingerprint256 !== current.fingerprint256 && current.checkIssued(c) && current.verify(c.publicKey));
    if (!next) break;
    certs.push(next);
    current = next;
  }
  return { trusted: false, certs };
}

export interface CmsVerifyOptions {
  /**
   * The signed content of a detached signature, as candidates tried in order (e-mail: as received, then in
   * canonical CRLF form); absent for an opaque (attached) signature.
   */
  content?: Buffer[];
  trustAnchors: X509Certificate[];
  now?: Date;
}

/** A CMS structure as DER: PEM (`-----BEGIN CMS-----`, `PKCS7`, as `openssl cms -outform PEM` writes it) is decoded. */
export function cmsDer(bytes: Buffer): Buffer {
  const pem = /-----BEGIN (?:CMS|PKCS7)-----([\s\S]+?)-----END (?:CMS|PKCS7)-----/.exec(bytes.subarray(0, 64 * 1024).toString('latin1'));
  return pem?.[1] ? Buffer.from(pem[1].replace(/\s+/g, ''), 'base64') : bytes;
}

/** Verifies a CMS SignedData (DER or PEM; first signer) and its certificate chain. */
export async function verifyCmsSignature(signature: Buffer, options: CmsVerifyOptions): Promise<CmsVerification> {
  try {
    return await verify(cmsDer(signature), options);
  } catch {
    return { signatureValid: false, certificateTrusted: false, reason: 'malformed-signature' };
  }
}

async function verify(der: Buffer, { content, trustAnchors, now = new Date() }: CmsVerifyOptions): Promise<CmsVerification> {
  const fail = (reason: CmsFailure, signer?: CertificateFacts): CmsVerification => ({
    signatureValid: false,
    certificateTrusted: false,
    reason,
    ...(signer ? { signer } : {}),
  });
  if (der.length === 0) return fail('malformed-signature');
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
  const candidates = content && content.length > 0 ? content : [undefined];
  let result: pkijs.SignedDataVerifyResult | undefined;
  for (const candidate of candidates) {
    result = await attempt(candidate);
    if (result.signatureVerified) break;
  }
  const signerCert = result?.signerCertificate
    ? new X509Certificate(Buffer.from(result.signerCertificate.toSchema().toBER(false)))
    : undefined;
  if (!signerCert) return fail('malformed-signature');
  const signer = certificateFacts(signerCert);
  if (!result?.signatureVerified) return fail('bad-signature', signer);
  const pool = certificates.map((c) => new X509Certificate(Buffer.from(c.toSchema().toBER(false))));
  const chain = chainToAnchor(signerCert, pool, trustAnchors);
  const at = now.getTime();
  const expired = chain.certs.some((c) => at < Date.parse(c.validFrom) || at > Date.parse(c.validTo));
  const trusted = chain.trusted && !expired;
  return {
    signatureValid: true,
    certificateTrusted: trusted,
    ...(trusted ? {} : { reason: chain.trusted ? 'certificate-expired' : 'untrusted-chain' }),
    signer,
  };
}
