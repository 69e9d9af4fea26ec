import { Module } from '@nestjs/common';
import { CoreModule, INTAKE_SETTINGS, type IntakeSettings } from '../../core';
import { ClassificationRepository } from './classification.repository';
import { DebianDocumentTools } from './document-tools.adapter';
import { CmsIndexSealAdapter } from './index-seal.adapter';
import { ResolveClassificationUseCase } from './resolve-classification.use-case';
import { ScanDropFolder } from './scan-drop-folder';
import { ProcessScanBatchUseCase } from './process-scan-batch.use-case';
import { ScanBatchIntakeUseCase } from './scan-batch-intake.use-case';
import { ScanBatchQuery } from './scan-batch.query';
import { ScanFollowUp } from './scan-follow-up';
import { ScanRecognition } from './scan-recognition';
import { ScanProcessor } from './scan-processor';
import { ScanQueues } from './scan-queues';
import { ScanController } from './scan.controller';
import { BARCODE_PORT, INDEX_SEAL_PORT, OCR_PORT } from './scan.ports';
import { ScanRepository } from './scan.repository';

const DOCUMENT_TOOLS = Symbol('DOCUMENT_TOOLS');

/** The paper-scan channel: batches over HTTP or a drop folder, OCR and barcodes, the classification queue. */
@Module({
  imports: [CoreModule],
  controllers: [ScanController],
  providers: [
    {
      provide: DOCUMENT_TOOLS,
      inject: [INTAKE_SETTINGS],
      useFactory: (settings: IntakeSettings) =>
        new DebianDocumentTools({
          languages: settings.scan.ocrLanguages,
          concurrency: settings.scan.ocrConcurrency,
          timeoutMs: settings.scan.toolTimeoutMs,
          textLayerMinChars: settings.scan.textLayerMinChars,
        }),
    },
    { provide: OCR_PORT, useExisting: DOCUMENT_TOOLS },
    { provide: BARCODE_PORT, useExisting: DOCUMENT_TOOLS },
    {
      provide: INDEX_SEAL_PORT,
      inject: [INTAKE_SETTINGS],
      useFactory: (settings: IntakeSettings) => CmsIndexSealAdapter.fromDirectory(settings.scan.centreTrustDir),
    },
    ScanRepository,
    ClassificationRepository,
    ResolveClassificationUseCase,
    ScanBatchIntakeUseCase,
    ScanBatchQuery,
    ScanRecognition,
    ScanFollowUp,
    ProcessScanBatchUseCase,
    ScanProcessor,
    ScanDropFolder,
    ScanQueues,
  ],
})
export class ScanModule {}
