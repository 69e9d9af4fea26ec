import { ARS, LEIKA_KEY, LEIKA_URN, leikaUrn } from '@poststelle/contracts';
import { applicationFormOf } from '../../core';
import {
  type ParsedAttachment,
  type ParsedEmail,
  type SenderAuthentication,
  type SignatureKind,
  type SignatureVerification,
} from './email.ports';
import { EmailErrorCode, type EmailRefusalCode } from './email.exception';

export interface NotACase {
  code: EmailRefusalCode;
  reason: string;
}

const header = (m: ParsedEmail, name: string): string[] => m.headers[name] ?? [];
const first = (m: ParsedEmail, name: string): string | undefined => header(m, name)[0];

/**
 * Mail that must never become a case: delivery reports (bounces), read receipts, abuse feedback reports,
 * auto-replies and mail flagged as spam by an upstream filter. Checked before anything else, so a bounce quoting a
 * case number never attaches to that case.
 */
export function classifyNotACase(m: ParsedEmail): NotACase | undefined {
  const reportType = (m.contentTypeParams['report-type'] ?? '').toLowerCase();
  const types = m.attachments.map((a) => a.contentType);
  const from = m.from ?? '';
  if (
    (m.contentType === 'multipart/report' && reportType === 'delivery-status') ||
    types.includes('message/delivery-status') ||
    /^(mailer-daemon|postmaster)@/i.test(from)
  ) {
    return { code: EmailErrorCode.Bounce, reason: 'delivery status notification (bounce)' };
  }
  if (
    (m.contentType === 'multipart/report' && reportType === 'disposition-notification') ||
    types.includes('message/disposition-notification')
  ) {
    return { code: EmailErrorCode.ReadReceipt, reason: 'message disposition notification (read receipt)' };
  }
  if (/^(read|gelesen|lu)\s*:/i.test(m.subject ?? '') && (m.contentType === 'application/ms-tnef' || first(m, 'x-ms-tnef-correlator'))) {
    return { code: EmailErrorCode.ReadReceipt, reason: 'Outlook read receipt (TNEF)' };
  }
  if ((m.contentType === 'multipart/report' && reportType === 'feedback-report') || types.includes('message/feedback-report')) {
    return { code: EmailErrorCode.FeedbackReport, reason: 'abuse feedback report (ARF)' };
  }
  const autoSubmitted = (first(m, 'auto-submitted') ?? 'no').toLowerCase();
  const precedence = (first(m, 'precedence') ?? '').toLowerCase();
  if (
    !autoSubmitted.startsWith('no') ||
    first(m, 'x-autoreply') !== undefined ||
    first(m, 'x-autorespond') !== undefined ||
    /^(auto_reply|bulk|junk|list)$/.test(precedence)
  ) {
    return { code: EmailErrorCode.AutoReply, reason: 'automatically generated message (auto-reply or bulk)' };
  }
  const spamFlag = (first(m, 'x-spam-flag') ?? first(m, 'x-spam') ?? '').toLowerCase();
  const spamStatus = (first(m, 'x-spam-status') ?? '').toLowerCase();
  if (spamFlag.startsWith('yes') || spamFlag === 'true' || spamStatus.startsWith('yes')) {
    return { code: EmailErrorCode.Spam, reason: 'flagged as spam by an upstream filter' };
  }
  return undefined;
}

/** S/MIME (`smime.p7s`, application/pkcs7-signature) or PGP (multipart/signed, inline armour). */
export function detectSignature(m: ParsedEmail): SignatureKind {
  const protocol = (m.contentTypeParams['protocol'] ?? '').toLowerCase();
  const smime = (a: ParsedAttachment) =>
    /^application\/(x-)?pkcs7-(signature|mime)$/.test(a.contentType) || /^smime\.p7[sm]$/i.test(a.fileName ?? '');
  if (m.attachments.some(smime) || protocol.includes('pkcs7') || m.contentType.includes('pkcs7')) return 'smime';
  if (
    m.attachments.some((a) => a.contentType === 'application/pgp-signature') ||
    protocol === 'application/pgp-signature' ||
    (m.text ?? '').includes('-----BEGIN PGP SIGNED MESSAGE-----')
  ) {
    return 'pgp';
  }
  return 'none';
}

const EXT: Record<string, string> = {
  'message/rfc822': 'eml',
  'application/pdf': 'pdf',
  'application/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/plain': 'txt',
  'text/calendar': 'ics',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** A file name that is safe to store and show: no path parts (`/` or `\`), no control characters, bounded length. */
export function safeFileName(declared: string | undefined, index: number, contentType: string): string {
  const base = (declared ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = [...base]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '<>:"|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/^[.\s]+/, '')
    .trim();
  if (cleaned && cleaned !== '.' && cleaned !== '..') return cleaned.length > 200 ? cleaned.slice(cleaned.length - 200) : cleaned;
  return `attachment-${index + 1}.${EXT[contentType] ?? 'bin'}`;
}

/** Media types as the contracts accept them (`type/subtype`); anything else is stored as octet-stream. */
export function safeMediaType(contentType: string): string {
  return /^[-\w.]+\/[-\w.+]+$/.test(contentType) ? contentType : 'application/octet-stream';
}

/** Subject tokens: `[LeiKa:99050012104000]` names the service, `[ARS:120540000000]` the region. */
export function subjectTokens(subject: string | undefined): { leikaKey?: string; ars?: string } {
  const leika = /\[\s*leika\s*:\s*(99\d{12})\s*\]/i.exec(subject ?? '')?.[1];
  const ars = /\[\s*ars\s*:\s*(\d{12})\s*\]/i.exec(subject ?? '')?.[1];
  return { ...(leika ? { leikaKey: leika } : {}), ...(ars ? { ars } : {}) };
}

/** Tenant and service named inside attached form data (`leikaKey`/`ars`, or FIT-style `publicServiceType`/`tenant`). */
export function formDataTarget(content: Record<string, unknown> | undefined): { leikaKey?: string; ars?: string } {
  if (!content) return {};
  const root = Object.keys(content).length === 1 ? (Object.values(content)[0] as Record<string, unknown>) : content;
  const pick = (o: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
  const candidates = [content, root];
  let leikaKey: string | undefined;
  let ars: string | undefined;
  for (const c of candidates) {
    const key = pick(c, 'leikaKey') ?? pick(c, 'publicServiceType', 'identifier');
    if (!leikaKey && typeof key === 'string') leikaKey = LEIKA_URN.test(key) ? key.slice(-14) : LEIKA_KEY.test(key) ? key : undefined;
    const region = pick(c, 'ars') ?? pick(c, 'tenant', 'ars');
    if (!ars && typeof region === 'string' && ARS.test(region)) ars = region;
  }
  return { ...(leikaKey ? { leikaKey } : {}), ...(ars ? { ars } : {}) };
}

/** `applications`: mail becomes cases; `invoices`: e-invoice attachments go to erechnung, never a case. */
export const MAILBOX_PURPOSES = ['applications', 'invoices'] as const;
export type MailboxPurpose = (typeof MAILBOX_PURPOSES)[number];

export interface MailboxEntry {
  address: string;
  tenantArs: string;
  leikaKey?: string;
  /** Absent means `applications`. */
  purpose?: MailboxPurpose;
}

/**
 * Tenant and service, most explicit first: form data attached by the sender, subject tokens, then the mailbox the
 * mail was sent to (its tenant, and its default service if it has one).
 */
export function resolveTarget(
  mailbox: MailboxEntry | undefined,
  tokens: { leikaKey?: string; ars?: string },
  form: { leikaKey?: string; ars?: string },
): { tenantArs: string; leikaKey: string } | NotACase {
  const tenantArs = form.ars ?? tokens.ars ?? mailbox?.tenantArs;
  const leikaKey = form.leikaKey ?? tokens.leikaKey ?? mailbox?.leikaKey;
  if (tenantArs && leikaKey) return { tenantArs, leikaKey };
  return {
    code: EmailErrorCode.Unroutable,
    reason: !tenantArs
      ? 'no configured mailbox matches a recipient and neither the subject nor form data names a region ([ARS:...])'
      : 'the mailbox has no default service and neither the subject ([LeiKa:...]) nor form data names one',
  };
}

const SIMPLE_EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[a-z0-9-]{2,}$/i;
export const isPlausibleEmail = (a: string | undefined): a is string => !!a && SIMPLE_EMAIL.test(a) && a.length <= 254;

export interface EmailSubmissionInput {
  parsed: ParsedEmail;
  rawSha512: string;
  envelopeFrom?: string;
  recipient?: string;
  auth: SenderAuthentication;
  /** Result of cryptographic verification; without it a detected signature is reported as not verified. */
  signature?: SignatureVerification;
  target: { tenantArs: string; leikaKey: string };
  form?: { mimeType: 'application/json' | 'application/xml'; fileName: string; content: Record<string, unknown> };
  /** Attachments already in the blob store. */
  attachments: { attachmentId: string; fileName: string; mediaType: string; sha512: string; purpose: 'form' | 'attachment' }[];
}

/** The channel evidence of one email (`EmailEvidenceDto` as plain JSON): on a new case and on a follow-up alike. */
export function emailEvidence(
  input: Pick<EmailSubmissionInput, 'parsed' | 'rawSha512' | 'envelopeFrom' | 'recipient' | 'auth' | 'signature'>,
): Record<string, unknown> {
  const { parsed } = input;
  return {
    rawMessageSha512: input.rawSha512,
    ...(parsed.messageId ? { messageId: parsed.messageId.slice(0, 998) } : {}),
    ...(isPlausibleEmail(input.envelopeFrom) ? { envelopeFrom: input.envelopeFrom } : {}),
    ...(isPlausibleEmail(input.recipient) ? { recipient: input.recipient } : {}),
    dkim: input.auth.dkim,
    spf: input.auth.spf,
    dmarc: input.auth.dmarc,
    ...signatureEvidence(detectSignature(parsed), input.signature),
  };
}

/**
 * The signature fields of the email evidence. `signatureVerified` is true only for a valid signature by a trusted
 * signer; even then the written form (§ 3a VwVfG) is not met: that needs a qualified electronic signature, which
 * neither a plain S/MIME certificate nor a PGP key is (see assessWrittenForm).
 */
export function signatureEvidence(detected: SignatureKind, v: SignatureVerification | undefined): Record<string, unknown> {
  const kind = detected !== 'none' ? detected : (v?.kind ?? 'none');
  if (kind === 'none') return { signature: 'none', signatureVerified: false };
  if (!v || v.kind !== kind) {
    // Detected (e.g. inline PGP, a signed part nested deeper) but not verifiable here: never claim more than that.
    return { signature: kind, signatureVerified: false, signatureValid: false, certificateTrusted: false, signatureReason: 'unsupported' };
  }
  return {
    signature: kind,
    signatureVerified: v.signatureValid && v.certificateTrusted,
    signatureValid: v.signatureValid,
    certificateTrusted: v.certificateTrusted,
    ...(v.reason ? { signatureReason: v.reason } : {}),
    ...(v.signer ? { signer: v.signer } : {}),
  };
}

/** The SubmissionV1 (plain JSON) an email becomes; AcceptSubmissionUseCase validates it like any other channel. */
export function buildEmailSubmission(input: EmailSubmissionInput): Record<string, unknown> {
  const { parsed } = input;
  const replyAddress = [parsed.replyTo, parsed.from, input.envelopeFrom].find(isPlausibleEmail);
  // An attached application form (docs/canonical-model.md) carries the form data and applicant as the portal would.
  const application = input.form ? applicationFormOf(input.form.content) : undefined;
  return {
    tenant: { ars: input.target.tenantArs },
    publicServiceType: { identifier: leikaUrn(input.target.leikaKey) },
    channel: { kind: 'email', email: emailEvidence(input) },
    applicant: application?.applicant ?? { kind: 'natural', ...(isPlausibleEmail(parsed.from) ? { email: parsed.from } : {}) },
    formData: application
      ? { schemaUri: application.schemaUri, mimeType: 'application/json', content: application.data }
      : {
          schemaUri: input.form
            ? `urn:poststelle:email:form:${input.form.mimeType === 'application/xml' ? 'xml' : 'json'}`
            : 'urn:poststelle:email:v1',
          mimeType: 'application/json',
          content: {
            subject: parsed.subject ?? '',
            text: (parsed.text ?? '').slice(0, 100_000),
            ...(input.form ? { form: input.form.content, formFileName: input.form.fileName } : {}),
          },
        },
    attachments: input.attachments,
    ...(replyAddress ? { replyChannel: { eMail: { address: replyAddress } } } : { replyChannel: {} }),
  };
}
