import { Module } from '@nestjs/common';
import { CaseQueues } from './case-queues';
import { CaseTimelineConsumer } from './case-timeline.consumer';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { SearchCasesUseCase } from './search-cases.use-case';

/** Case tracking: the timeline built from downstream events and `GET /v1/cases/{id}` (ADR 0017). */
@Module({
  controllers: [CasesController],
  providers: [CasesRepository, CaseTimelineConsumer, CaseQueues, SearchCasesUseCase],
})
export class CasesModule {}
