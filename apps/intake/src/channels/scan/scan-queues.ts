import { Injectable, type OnModuleInit } from '@nestjs/common';
import { QueueBoard } from '@poststelle/platform';
import { readScopeOfTenants } from '../../core';
import { ClassificationRepository } from './classification.repository';

/** The scan channel's queue on the board (`GET /v1/queues/summary`): documents waiting for a clerk to classify them. */
@Injectable()
export class ScanQueues implements OnModuleInit {
  constructor(
    private readonly board: QueueBoard,
    private readonly classification: ClassificationRepository,
  ) {}

  onModuleInit(): void {
    this.board.register('scan-classification', async (scope) => {
      const { count, oldestAt } = await this.classification.openSummary(readScopeOfTenants(scope));
      return { count, oldestAt: oldestAt?.toISOString() ?? null };
    });
  }
}
