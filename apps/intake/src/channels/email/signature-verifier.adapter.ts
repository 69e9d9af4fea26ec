import { type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { filesIn, loadTrustStore, verifyCmsSignature } from '../../core';
import { type SignatureVerification, type SignatureVerifierPort, type SignerFacts } from './email.ports';
import { canonicalCrlf, findSignedParts } from './mime-signed';

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

/**
 * Verifies S/MIME (the shared CMS verification, `content/cms-signature.ts`, against a trust store directory)
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
    const canonical = content && canonicalCrlf(content);
    const r = await verifyCmsSignature(der, {
      ...(content && canonical ? { content: canonical.equals(content) ? [content] : [content, canonical] } : {}),
      trustAnchors: this.trustAnchors,
      now: this.now(),
    });
    return {
      kind: 'smime',
      signatureValid: r.signatureValid,
      certificateTrusted: r.certificateTrusted,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.signer ? { signer: r.signer } : {}),
    };
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
