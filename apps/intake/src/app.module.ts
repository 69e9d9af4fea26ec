import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@poststelle/platform';
import { CaseTimelineConsumer } from './cases/case-timeline.consumer';
import { CasesController } from './cases/cases.controller';
import { INTAKE_SETTINGS, type IntakeSettings } from './intake.config';
import { IntakeSchema1732300000100 } from './migrations/1732300000100-intake-schema.migration';
import { AcceptSubmissionUseCase } from './submissions/accept-submission.use-case';
import { RejectedInputsRepository } from './submissions/rejected-inputs.repository';
import { SubmissionIntakeConsumer } from './submissions/submission-intake.consumer';
import { SubmissionsController } from './submissions/submissions.controller';

@Module({})
export class IntakeModule {
  static forRoot(settings: IntakeSettings): DynamicModule {
    return {
      module: IntakeModule,
      imports: [PlatformModule.forRoot({ settings, entities: [], migrations: [IntakeSchema1732300000100] })],
      controllers: [SubmissionsController, CasesController],
      providers: [
        { provide: INTAKE_SETTINGS, useValue: settings },
        AcceptSubmissionUseCase,
        RejectedInputsRepository,
        SubmissionIntakeConsumer,
        CaseTimelineConsumer,
      ],
    };
  }
}
