import { readFileSync } from 'node:fs';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { Logger, describeError } from '@poststelle/telemetry';
import { INTAKE_SETTINGS, type IntakeSettings } from '../../core';
import { ReceiveEmailUseCase } from './receive-email.use-case';

type SmtpError = Error & { responseCode?: number };
const smtpError = (code: number, message: string): SmtpError => Object.assign(new Error(message), { responseCode: code });

/**
 * The SMTP receiver inside intake (port SMTP_PORT). Every accepted message is stored and classified; a message
 * that is not a case (bounce, spam, ...) is still accepted with 250 and kept, so no backscatter is generated.
 * STARTTLS is offered when a certificate is configured (and can be required); at most SMTP_MAX_CONNECTIONS
 * connections are served at once (one more gets 421), and one connection may deliver at most
 * SMTP_MAX_MESSAGES_PER_CONNECTION_PER_MINUTE messages a minute (more are deferred with 451, so nothing is lost:
 * the sending server retries later).
 */
@Injectable()
export class SmtpReceiver implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('SmtpReceiver');
  private server: SMTPServer | undefined;
  /** Start times of the messages each open connection began in the last minute (by session id). */
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly receiveEmail: ReceiveEmailUseCase,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { smtpPort, smtpHost, maxMessageBytes, tls, maxConnections } = this.settings.email;
    if (smtpPort === 0) return;
    this.server = new SMTPServer({
      name: 'poststelle-intake',
      banner: 'Poststelle intake',
      size: maxMessageBytes,
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ? { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) } : {}),
      maxClients: maxConnections,
      logger: false,
      onMailFrom: (address, session, callback) => this.onMailFrom(address, session, callback),
      onClose: (session) => this.recent.delete(session.id),
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    this.server.on('error', (error) => this.log.warn('smtp connection error', describeError(error)));
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.server.once('error', onError);
      server.listen(smtpPort, smtpHost, () => {
        server.server.off('error', onError);
        resolve();
      });
    });
    this.log.info('smtp receiver listening', { port: smtpPort });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Applies STARTTLS-required and the per-connection rate before a message starts. */
  private onMailFrom(_address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const { tls, maxMessagesPerConnectionPerMinute } = this.settings.email;
    if (tls?.required && !session.secure) {
      callback(smtpError(530, 'must issue a STARTTLS command first'));
      return;
    }
    const now = Date.now();
    const recent = (this.recent.get(session.id) ?? []).filter((t) => now - t < 60000);
    if (recent.length >= maxMessagesPerConnectionPerMinute) {
      this.recent.set(session.id, recent);
      this.log.warn('smtp connection over its message rate; deferred', { limitPerMinute: maxMessagesPerConnectionPerMinute });
      callback(
        smtpError(451, `too many messages on this connection (at most ${maxMessagesPerConnectionPerMinute} a minute); try again later`),
      );
      return;
    }
    recent.push(now);
    this.recent.set(session.id, recent);
    callback();
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.settings.email.maxMessageBytes) chunks.push(chunk);
    });
    stream.on('error', (error) => callback(error));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        callback(smtpError(552, `message exceeds the size limit of ${this.settings.email.maxMessageBytes} bytes`));
        return;
      }
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : undefined;
      const envelope = {
        ...(mailFrom ? { mailFrom } : {}),
        rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        ...(session.remoteAddress ? { clientIp: session.remoteAddress.replace(/^::ffff:/, '') } : {}),
        ...(session.hostNameAppearsAs ? { helo: session.hostNameAppearsAs } : {}),
      };
      this.receiveEmail.receive(Buffer.concat(chunks), envelope, 'smtp').then(
        (outcome) => callback(null, `OK queued as ${outcome.inboundId} (${outcome.status})`),
        (error: unknown) => {
          this.log.error('could not take in an smtp message; the sender should retry', describeError(error));
          callback(smtpError(451, 'temporary failure, try again later'));
        },
      );
    });
  }
}
