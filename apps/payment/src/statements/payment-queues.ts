import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QueueBoard } from '@poststelle/platform';
import { StatementsRepository } from './statements.repository';

/** Payment's queue on the board (`GET /v1/queues/summary`): bank-statement items no open payment matched. */
@Injectable()
export class PaymentQueues implements OnModuleInit {
  constructor(
    private readonly board: QueueBoard,
    private readonly dataSource: DataSource,
    private readonly statements: StatementsRepository,
  ) {}

  onModuleInit(): void {
    this.board.register('payment-unmatched', async (scope) => {
      const { count, oldestAt } = await this.statements.openQueueSummary(this.dataSource.manager, scope.all ? null : [...scope.prefixes]);
      return { count, oldestAt: oldestAt?.toISOString() ?? null };
    });
  }
}
