import { createTransport, type Transporter } from 'nodemailer';

export interface InvoiceReplyMail {
  to: string;
  subject: string;
  text: string;
  /** Stable per invoice (`<reply-{invoiceId}@poststelle>`), so a resend after a crash is recognisable as the same mail. */
  messageId: string;
  /** The sender's Message-ID: the answer threads under the invoice mail. */
  inReplyTo?: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** Port: sends one answer to an invoice sender. Throws when the relay did not accept it. */
export interface ReplyMailer {
  send(mail: InvoiceReplyMail): Promise<void>;
}

export const REPLY_MAILER = Symbol('REPLY_MAILER');

/** SMTP adapter (nodemailer) for the configured relay. */
export class SmtpReplyMailer implements ReplyMailer {
  private readonly transport: Transporter;

  constructor(
    smtp: { host: string; port: number; user?: string; password?: string },
    private readonly from: string,
  ) {
    this.transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.port === 465,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: 10000,
      greetingTimeout: 10000,
      socketTimeout: 20000,
    });
  }

  async send(mail: InvoiceReplyMail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.inReplyTo } : {}),
      // RFC 3834: an automatic answer; well-behaved systems do not auto-reply to it (and intake drops such mail).
      headers: { 'Auto-Submitted': 'auto-replied' },
      attachments: mail.attachments ?? [],
    });
  }
}

/** Used when no relay is configured: every attempt fails with a clear reason, so the answers stay visible. */
export class UnconfiguredReplyMailer implements ReplyMailer {
  send(): Promise<void> {
    return Promise.reject(new Error('no SMTP relay configured (SMTP_RELAY_HOST)'));
  }
}
