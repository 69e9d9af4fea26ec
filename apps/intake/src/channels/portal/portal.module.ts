import { Module } from '@nestjs/common';
import { CoreModule } from '../../core';
import { BundlesController } from './bundles.controller';
import { PortalRepository } from './portal.repository';
import { SubmissionsController } from './submissions.controller';

/** The online-service portal channel: single submissions and life-event bundles over HTTP. */
@Module({
  imports: [CoreModule],
  controllers: [BundlesController, SubmissionsController],
  providers: [PortalRepository],
})
export class PortalModule {}
