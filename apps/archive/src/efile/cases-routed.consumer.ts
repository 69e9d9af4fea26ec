import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseRoutedV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { OpenCaseFileUseCase } from './open-case-file.use-case';

@Injectable()
export class CasesRoutedConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly openFile: OpenCaseFileUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'archive', handlers: { [Topics.casesRouted]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    await this.openFile.execute(manager, validateContract(CaseRoutedV1, envelope.payload), envelope.id);
  }
}
