/** Ports of the email channel: parsing and sender authentication stay behind these interfaces (adapters below). */

export interface ParsedAttachment {
  /** As declared by the sender; never used as a path (see safeFileName). */
  fileName?: string;
  contentType: string;
  content: Buffer;
}

export interface ParsedEmail {
  messageId?: string;
  subject?: string;
  from?: string;
  replyTo?: string;
  /** To and Cc addresses, lower case. */
  recipients: string[];
  /** Lower-case header name → unfolded values, in order. */
  headers: Record<string, string[]>;
  /** Top-level media type, lower case, e.g. `multipart/report`. */
  contentType: string;
  contentTypeParams: Record<string, string>;
  text?: string;
  hasHtml: boolean;
  attachments: ParsedAttachment[];
}

export interface MailParserPort {
  parse(raw: Buffer): Promise<ParsedEmail>;
}
export const MAIL_PARSER = Symbol('MAIL_PARSER');

export type AuthResult = 'pass' | 'fail' | 'none' | 'neutral' | 'temperror' | 'permerror' | 'softfail' | 'policy';
export type DmarcResult = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';

export interface SenderAuthentication {
  dkim: AuthResult;
  spf: AuthResult;
  dmarc: DmarcResult;
  /** Signing domains (`d=`) of the DKIM signatures that passed, lower-case; empty when none passed. */
  dkimDomains: string[];
}

export interface SmtpEnvelope {
  mailFrom?: string;
  rcptTo: string[];
  clientIp?: string;
  helo?: string;
}

export interface MailAuthPort {
  /** Never throws: lookup failures are reported as `temperror`. */
  authenticate(raw: Buffer, envelope: SmtpEnvelope): Promise<SenderAuthentication>;
}
export const MAIL_AUTH = Symbol('MAIL_AUTH');

/** DNS resolver as mailauth calls it: `(domain, rrtype) → records`. Injectable so tests and offline sites work. */
export type DnsResolver = (domain: string, rrtype: string) => Promise<unknown[]>;

export type SignatureKind = 'none' | 'smime' | 'pgp';

/** Why a signature is not (fully) verified; absent when it is valid and trusted. */
export type SignatureReason =
  | 'not-signed'
  | 'malformed-signature'
  | 'unsupported'
  | 'bad-signature'
  | 'unknown-key'
  | 'untrusted-chain'
  | 'certificate-expired';

/** Who signed: certificate facts (S/MIME) or key facts (PGP). Personal data: kept as evidence, never logged. */
export interface SignerFacts {
  subject?: string;
  issuer?: string;
  serialNumber?: string;
  notBefore?: string;
  notAfter?: string;
  keyId?: string;
  fingerprint?: string;
}

export interface SignatureVerification {
  kind: SignatureKind;
  /** The signature matches the signed content (nothing was altered after signing). */
  signatureValid: boolean;
  /** S/MIME: the signer certificate chains to the trust store and is within its validity; PGP: the key is in the keyring. */
  certificateTrusted: boolean;
  reason?: SignatureReason;
  signer?: SignerFacts;
}

export interface SignatureVerifierPort {
  /** Never throws: anything unreadable is `malformed-signature`. */
  verify(raw: Buffer): Promise<SignatureVerification>;
}
export const SIGNATURE_VERIFIER = Symbol('SIGNATURE_VERIFIER');
