import { Module } from '@nestjs/common';
import { CoreModule } from '../../core';
import { FitConnectController } from './fit-connect.controller';
import { FitConnectRepository } from './fit-connect.repository';
import { FIT_METADATA_VALIDATOR, FitConnectUseCase } from './fit-connect.use-case';
import { FitMetadataValidator } from './fit-metadata';

/** The FIT-Connect channel: announce, upload attachments, submit (Zustelldienst protocol subset). */
@Module({
  imports: [CoreModule],
  controllers: [FitConnectController],
  providers: [FitConnectRepository, FitConnectUseCase, { provide: FIT_METADATA_VALIDATOR, useFactory: () => new FitMetadataValidator() }],
})
export class FitConnectModule {}
