import { Injectable, type OnModuleInit } from '@nestjs/common';
import { QueueBoard, type QueueCounts, type TenantScope } from '@poststelle/platform';
import { readScopeOfTenants } from '../core';
import { CasesRepository } from './cases.repository';

const DAY_MS = 24 * 60 * 60 * 1000;
/** FIT-Connect: a submission not picked up is alerted on after 3 days and rejected after 14. */
export const FIT_CONNECT_ALERT_DAYS = 3;
export const FIT_CONNECT_REJECT_DAYS = 14;

/** The FIT-Connect deadlines of the oldest waiting case, counted from when it was received. */
export function fitConnectDeadlines(oldestAt: Date): NonNullable<QueueCounts['deadlines']> {
  return {
    alertAt: new Date(oldestAt.getTime() + FIT_CONNECT_ALERT_DAYS * DAY_MS).toISOString(),
    rejectAt: new Date(oldestAt.getTime() + FIT_CONNECT_REJECT_DAYS * DAY_MS).toISOString(),
  };
}

/**
 * Case tracking's queue on the board: FIT-Connect cases that no procedure has taken yet. Intake accepts a FIT-Connect
 * submission at once (it keeps no unfetched ones), so the 3/14-day limits apply to the case until it is routed.
 */
@Injectable()
export class CaseQueues implements OnModuleInit {
  constructor(
    private readonly board: QueueBoard,
    private readonly cases: CasesRepository,
  ) {}

  onModuleInit(): void {
    this.board.register('fit-connect-waiting', (scope) => this.fitConnect(scope));
  }

  async fitConnect(scope: TenantScope): Promise<QueueCounts> {
    const { count, oldestAt } = await this.cases.fitConnectWaiting(readScopeOfTenants(scope));
    return { count, oldestAt: oldestAt?.toISOString() ?? null, ...(oldestAt ? { deadlines: fitConnectDeadlines(oldestAt) } : {}) };
  }
}
