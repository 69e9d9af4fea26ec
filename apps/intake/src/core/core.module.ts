import { Module } from '@nestjs/common';
import { RejectedInputsRepository } from './rejected-inputs/rejected-inputs.repository';
import { AcceptSubmissionUseCase } from './submission/accept-submission.use-case';
import { SubmissionsRepository } from './submission/submissions.repository';

/** Accepting a submission and the rejected-input store, shared by every channel module. */
@Module({
  providers: [AcceptSubmissionUseCase, RejectedInputsRepository, SubmissionsRepository],
  exports: [AcceptSubmissionUseCase, RejectedInputsRepository],
})
export class CoreModule {}
