import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformSettings } from '@poststelle/platform';
import { CasesRoutedConsumer } from './efile/cases-routed.consumer';
import { FilesController } from './efile/files.controller';
import { OpenCaseFileUseCase } from './efile/open-case-file.use-case';
import { ArchiveSchema1732300000500 } from './migrations/1732300000500-archive-schema.migration';

@Module({})
export class ArchiveModule {
  static forRoot(settings: PlatformSettings): DynamicModule {
    return {
      module: ArchiveModule,
      imports: [PlatformModule.forRoot({ settings, entities: [], migrations: [ArchiveSchema1732300000500] })],
      controllers: [FilesController],
      providers: [OpenCaseFileUseCase, CasesRoutedConsumer],
    };
  }
}
