import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseReceivedV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { RouteCaseUseCase } from './route-case.use-case';

@Injectable()
export class CasesReceivedConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly routeCase: RouteCaseUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'routing', handlers: { [Topics.casesReceived]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    const event = validateContract(CaseReceivedV1, envelope.payload);
    await this.routeCase.execute(manager, event.case, envelope.id);
  }
}
