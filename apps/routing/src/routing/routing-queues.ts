import { Injectable, type OnModuleInit } from '@nestjs/common';
import { QueueBoard } from '@poststelle/platform';
import { RoutingReadsRepository } from './routing-reads.repository';

/** Routing's queue on the board (`GET /v1/queues/summary`): cases waiting for a clerk to name their procedure. */
@Injectable()
export class RoutingQueues implements OnModuleInit {
  constructor(
    private readonly board: QueueBoard,
    private readonly reads: RoutingReadsRepository,
  ) {}

  onModuleInit(): void {
    this.board.register('manual-routing', async (scope) => {
      const { count, oldestAt } = await this.reads.openQueueSummary(scope);
      return { count, oldestAt: oldestAt?.toISOString() ?? null };
    });
  }
}
