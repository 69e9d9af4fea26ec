import { Module } from '@nestjs/common';
import { CoreModule, INTAKE_SETTINGS, type IntakeSettings } from '../../core';
import { EmailController } from './email.controller';
import { EmailReader } from './email-reader';
import { MAIL_AUTH, MAIL_PARSER, SIGNATURE_VERIFIER } from './email.ports';
import { EmailRepository } from './email.repository';
import { ForwardInvoiceEmailUseCase } from './forward-invoice-email.use-case';
import { MailauthAdapter, offlineResolver, systemResolver } from './mailauth.adapter';
import { MailparserAdapter } from './mailparser.adapter';
import { ReceiveEmailUseCase } from './receive-email.use-case';
import { RecordFollowUpUseCase } from './record-follow-up.use-case';
import { SignatureVerifierAdapter } from './signature-verifier.adapter';
import { SmtpReceiver } from './smtp-receiver';

/** The email channel: SMTP and the HTTP drop (`/v1/email`), follow-ups, forwarded invoices, mailboxes. */
@Module({
  imports: [CoreModule],
  controllers: [EmailController],
  providers: [
    { provide: MAIL_PARSER, useValue: new MailparserAdapter() },
    {
      provide: MAIL_AUTH,
      inject: [INTAKE_SETTINGS],
      useFactory: (settings: IntakeSettings) =>
        new MailauthAdapter(settings.email.dns === 'offline' ? offlineResolver : systemResolver(settings.email.dnsTimeoutMs)),
    },
    {
      provide: SIGNATURE_VERIFIER,
      inject: [INTAKE_SETTINGS],
      useFactory: (settings: IntakeSettings) =>
        SignatureVerifierAdapter.fromDirectories(settings.email.smimeTrustStoreDir, settings.email.pgpKeyringDir),
    },
    EmailRepository,
    EmailReader,
    ReceiveEmailUseCase,
    ForwardInvoiceEmailUseCase,
    RecordFollowUpUseCase,
    SmtpReceiver,
  ],
})
export class EmailModule {}
