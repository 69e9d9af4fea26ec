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
