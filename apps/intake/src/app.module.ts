import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@poststelle/platform';
import { BundlesController } from './bundles/bundles.controller';
import { CaseTimelineConsumer } from './cases/case-timeline.consumer';
import { CasesController } from './cases/cases.controller';
import { CasesRepository } from './cases/cases.repository';
import { EmailController } from './email/email.controller';
import { MAIL_AUTH, MAIL_PARSER, SIGNATURE_VERIFIER } from './email/email.ports';
import { EmailRepository } from './email/email.repository';
import { ForwardInvoiceEmailUseCase } from './email/forward-invoice-email.use-case';
import { MailauthAdapter, offlineResolver, systemResolver } from './email/mailauth.adapter';
import { MailparserAdapter } from './email/mailparser.adapter';
import { ReceiveEmailUseCase } from './email/receive-email.use-case';
import { SignatureVerifierAdapter } from './email/signature-verifier.adapter';
import { SmtpReceiver } from './email/smtp-receiver';
import { RecordFollowUpUseCase } from './email/record-follow-up.use-case';
import { FitConnectController } from './fit-connect/fit-connect.controller';
import { FitConnectRepository } from './fit-connect/fit-connect.repository';
import { FIT_METADATA_VALIDATOR, FitConnectUseCase } from './fit-connect/fit-connect.use-case';
import { FitMetadataValidator } from './fit-connect/fit-metadata';
import { INTAKE_SETTINGS, type IntakeSettings } from './intake.config';
import { IntakeSchema1732300000100 } from './migrations/1732300000100-intake-schema.migration';
import { IntakeChannels1732300000110 } from './migrations/1732300000110-intake-channels.migration';
import { IntakeDuplicates1732300000120 } from './migrations/1732300000120-intake-duplicates.migration';
import { IntakeInvoiceMailboxes1732300000137 } from './migrations/1732300000137-intake-invoice-mailboxes.migration';
import { AcceptSubmissionUseCase } from './submissions/accept-submission.use-case';
import { RejectedInputsRepository } from './submissions/rejected-inputs.repository';
import { SubmissionIntakeConsumer } from './submissions/submission-intake.consumer';
import { SubmissionsController } from './submissions/submissions.controller';
import { IntakeScan1732300000130 } from './migrations/1732300000130-intake-scan.migration';
import { IntakeScanSeal1732300000140 } from './migrations/1732300000140-intake-scan-seal.migration';
import { IntakeScanResolution1732300000150 } from './migrations/1732300000150-intake-scan-resolution.migration';
import { IntakeCaseReference1732300000160 } from './migrations/1732300000160-intake-case-reference.migration';
import { IntakeSubmittedBy1733600000100 } from './migrations/1733600000100-intake-submitted-by.migration';
import { DebianDocumentTools } from './scan/document-tools.adapter';
import { CmsIndexSealAdapter } from './scan/index-seal.adapter';
import { BARCODE_PORT, INDEX_SEAL_PORT, OCR_PORT } from './scan/scan.ports';
import { ClassificationRepository } from './scan/classification.repository';
import { ResolveClassificationUseCase } from './scan/resolve-classification.use-case';
import { ScanController } from './scan/scan.controller';
import { ScanDropFolder } from './scan/scan-drop-folder';
import { ScanIntakeUseCase } from './scan/scan-intake.use-case';
import { ScanProcessor } from './scan/scan-processor';
import { ScanRepository } from './scan/scan.repository';

@Module({})
export class IntakeModule {
  static forRoot(settings: IntakeSettings): DynamicModule {
    const documentTools = new DebianDocumentTools({
      languages: settings.scan.ocrLanguages,
      concurrency: settings.scan.ocrConcurrency,
      timeoutMs: settings.scan.toolTimeoutMs,
      textLayerMinChars: settings.scan.textLayerMinChars,
    });
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forRoot({
          settings,
          entities: [],
          migrations: [
            IntakeSchema1732300000100,
            IntakeChannels1732300000110,
            IntakeDuplicates1732300000120,
            IntakeScan1732300000130,
            IntakeInvoiceMailboxes1732300000137,
            IntakeScanSeal1732300000140,
            IntakeScanResolution1732300000150,
            IntakeCaseReference1732300000160,
            IntakeSubmittedBy1733600000100,
          ],
        }),
      ],
      controllers: [BundlesController, SubmissionsController, CasesController, EmailController, FitConnectController, ScanController],
      providers: [
        { provide: INTAKE_SETTINGS, useValue: settings },
        { provide: MAIL_PARSER, useValue: new MailparserAdapter() },
        {
          provide: MAIL_AUTH,
          useValue: new MailauthAdapter(settings.email.dns === 'offline' ? offlineResolver : systemResolver(settings.email.dnsTimeoutMs)),
        },
        AcceptSubmissionUseCase,
        CasesRepository,
        RejectedInputsRepository,
        SubmissionIntakeConsumer,
        CaseTimelineConsumer,
        EmailRepository,
        {
          provide: SIGNATURE_VERIFIER,
          useFactory: () => SignatureVerifierAdapter.fromDirectories(settings.email.smimeTrustStoreDir, settings.email.pgpKeyringDir),
        },
        ReceiveEmailUseCase,
        ForwardInvoiceEmailUseCase,
        RecordFollowUpUseCase,
        SmtpReceiver,
        FitConnectRepository,
        FitConnectUseCase,
        { provide: FIT_METADATA_VALIDATOR, useFactory: () => new FitMetadataValidator() },
        { provide: OCR_PORT, useValue: documentTools },
        { provide: BARCODE_PORT, useValue: documentTools },
        { provide: INDEX_SEAL_PORT, useFactory: () => CmsIndexSealAdapter.fromDirectory(settings.scan.centreTrustDir) },
        ScanRepository,
        ClassificationRepository,
        ResolveClassificationUseCase,
        ScanIntakeUseCase,
        ScanProcessor,
        ScanDropFolder,
      ],
    };
  }
}
