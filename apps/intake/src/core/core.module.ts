import { Module } from '@nestjs/common';
import { RejectedInputsRepository } from './rejected-inputs/rejected-inputs.repository';
import { AcceptSubmissionUseCase } from './submission/accept-submission.use-case';

/** Accepting a submission and the rejected-input store, shared by every channel module. */
@Module({
  providers: [AcceptSubmissionUseCase, RejectedInputsRepository],
  exports: [AcceptSubmissionUseCase, RejectedInputsRepository],
})
export class CoreModule {}
