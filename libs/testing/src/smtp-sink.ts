import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './service-process';

export interface SunkMail {
  /** Envelope recipients. */
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/** A real SMTP server on loopback, standing in for the authority's mail relay: keeps every mail it is given. */
export class SmtpSink {
  readonly mails: SunkMail[] = [];
  port = 0;
  private server: SMTPServer | undefined;

  async start(port?: number): Promise<this> {
    this.port = port ?? (this.port || (await freePort()));
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              this.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
