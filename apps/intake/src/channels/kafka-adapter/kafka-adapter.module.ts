import { Module } from '@nestjs/common';
import { CoreModule } from '../../core';
import { SubmissionIntakeConsumer } from './submission-intake.consumer';

/** Submissions handed in by other systems over Kafka (`intake.submissions`). */
@Module({
  imports: [CoreModule],
  providers: [SubmissionIntakeConsumer],
})
export class KafkaAdapterModule {}
