import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable per notification, so a resend after a crash is recognisable by the receiving side as the same mail. */
  messageId: string;
  /** Threads the mail under the one it answers. */
  inReplyTo?: string;
  attachments?: { filename: string; content: string; contentType: string }[];
  /** RFC 3834 `Auto-Submitted`: `auto-replied` for answers to a received mail, else `auto-generated`. */
  autoSubmitted?: 'auto-generated' | 'auto-replied';
}

/** Port: sends one email. Throws when the relay did not accept it. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

export const MAILER = Symbol('MAILER');

export interface SmtpRelaySettings {
  host: string;
  port: number;
  user?: string;
  password?: string;
}

/** SMTP adapter (nodemailer) for the configured relay. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtp: SmtpRelaySettings,
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

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.inReplyTo } : {}),
      // Well-behaved systems do not auto-reply to automatic mail (and intake drops such mail).
      headers: { 'Auto-Submitted': mail.autoSubmitted ?? 'auto-generated' },
      attachments: mail.attachments ?? [],
    });
  }
}

/** Used when no relay is configured: every attempt fails with a clear reason, so pending mail stays visible. */
export class UnconfiguredMailer implements Mailer {
  send(): Promise<void> {
    return Promise.reject(new Error('no SMTP relay configured (SMTP_RELAY_HOST)'));
  }
}

/** A mailer for the given relay settings, or one that fails visibly when there is none. */
export function mailerFor(smtp: SmtpRelaySettings | undefined, from: string): Mailer {
  return smtp ? new SmtpMailer(smtp, from) : new UnconfiguredMailer();
}
