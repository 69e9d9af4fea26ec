import { type X509Certificate } from 'node:crypto';
import { loadTrustStore, verifyCmsSignature } from '../../core';
import { type IndexSeal, type IndexSealPort } from './scan.ports';

/** The seal of a batch index: a detached CMS SignedData over the index bytes exactly as delivered. */
export class CmsIndexSealAdapter implements IndexSealPort {
  constructor(
    private readonly trustAnchors: X509Certificate[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `SCAN_CENTRE_TRUST_DIR`: PEM/DER certificates of the scan centres (or their CAs); empty = trust nobody. */
  static fromDirectory(dir: string): CmsIndexSealAdapter {
    return new CmsIndexSealAdapter(loadTrustStore(dir));
  }

  async verify(index: Buffer, seal: Buffer | undefined): Promise<IndexSeal> {
    if (!seal) return { sealed: false, valid: false, trusted: false, reason: 'not-sealed' };
    const r = await verifyCmsSignature(seal, { content: [index], trustAnchors: this.trustAnchors, now: this.now() });
    return {
      sealed: true,
      valid: r.signatureValid,
      trusted: r.certificateTrusted,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.signer ? { signer: r.signer } : {}),
    };
  }
}
