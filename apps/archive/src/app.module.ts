import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformSettings } from '@poststelle/platform';
import { ARCHIVE_SETTINGS, type ArchiveSettings } from './archive.config';
import { DocumentRecorder } from './efile/document-recorder';
import { EFileController } from './efile/efile.controller';
import { EFileRepository } from './efile/efile.repository';
import { FileAccess } from './efile/file-access';
import { FileEventsConsumer } from './efile/file-events.consumer';
import { FileEventsUseCase } from './efile/file-events.use-case';
import { OpenCaseFileUseCase } from './efile/open-case-file.use-case';
import { OcrmypdfRenderer, PDFA_RENDERER } from './efile/pdfa-renderer';
import { ReadFileUseCase } from './efile/read-file.use-case';
import { RenditionJob } from './efile/rendition.job';
import { RenditionRepository } from './efile/rendition.repository';
import { VerifyFileUseCase } from './efile/verify-file.use-case';
import { DigestController } from './journal/digest.controller';
import { DigestRepository } from './journal/digest.repository';
import { DigestService } from './journal/digest.service';
import { Journal } from './journal/journal';
import { JournalRepository } from './journal/journal.repository';
import { ArchiveSchema1732300000500 } from './migrations/1732300000500-archive-schema.migration';
import { EfileStructure1733630000000 } from './migrations/1733630000000-efile-structure.migration';
import { DisposalOffersUseCase } from './retention/disposal-offers.use-case';
import { DisposalController } from './retention/disposal.controller';
import { DisposalRepository } from './retention/disposal.repository';
import { DisposalUseCase } from './retention/disposal.use-case';
import { LegalHoldRepository } from './retention/legal-hold.repository';
import { ProcedureSettingsController } from './settings/procedure-settings.controller';
import { ProcedureSettingsRepository } from './settings/procedure-settings.repository';
import { CONTENT_STORE, FileSystemContentStore } from './storage/content-store';
import { ExportFileUseCase } from './xdomea/export-file.use-case';
import { XdomeaSchemas } from './xdomea/xsd-validator';

export const ARCHIVE_MIGRATIONS = [ArchiveSchema1732300000500, EfileStructure1733630000000];

@Module({})
export class ArchiveModule {
  static forRoot(settings: PlatformSettings, archive: ArchiveSettings): DynamicModule {
    return {
      module: ArchiveModule,
      imports: [PlatformModule.forRoot({ settings, entities: [], migrations: ARCHIVE_MIGRATIONS })],
      controllers: [EFileController, ProcedureSettingsController, DisposalController, DigestController],
      providers: [
        { provide: ARCHIVE_SETTINGS, useValue: archive },
        { provide: CONTENT_STORE, useValue: new FileSystemContentStore(archive.contentDir) },
        { provide: PDFA_RENDERER, useValue: new OcrmypdfRenderer(archive.rendition) },
        { provide: XdomeaSchemas, useValue: new XdomeaSchemas(archive.xdomea.xsdDir) },
        EFileRepository,
        JournalRepository,
        DigestRepository,
        LegalHoldRepository,
        DisposalRepository,
        RenditionRepository,
        ProcedureSettingsRepository,
        Journal,
        DocumentRecorder,
        OpenCaseFileUseCase,
        FileEventsUseCase,
        FileEventsConsumer,
        FileAccess,
        ReadFileUseCase,
        VerifyFileUseCase,
        ExportFileUseCase,
        RenditionJob,
        DisposalUseCase,
        DisposalOffersUseCase,
        DigestService,
      ],
    };
  }
}
