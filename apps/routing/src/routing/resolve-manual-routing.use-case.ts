import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { procedureTopic } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { type TenantScope } from '@poststelle/platform';
import { type ResolveManualRoutingRequest } from '../admin/admin.requests';
import { RouteCaseUseCase } from './route-case.use-case';
import { RoutingErrorCode, RoutingException } from './routing.exception';
import { RoutingReadsRepository } from './routing-reads.repository';

export interface ManualRoutingResolved {
  itemId: string;
  caseId: string;
  procedureId: string;
  status: 'resolved';
  /** Only when the procedure's evidence requirement holds the case. */
  caseStatus?: 'ACTION_REQUIRED';
  missing?: string[];
}

/** A clerk names the procedure for a queued case (within the clerk's tenants); the case is routed to it at once. */
@Injectable()
export class ResolveManualRoutingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: RoutingReadsRepository,
    private readonly routeCase: RouteCaseUseCase,
    private readonly messaging: MessagingRuntime,
  ) {}

  async execute(itemId: string, req: ResolveManualRoutingRequest, scope: TenantScope): Promise<ManualRoutingResolved> {
    const result = await this.dataSource.transaction(async (manager): Promise<ManualRoutingResolved> => {
      const item = await this.reads.queueItemForUpdate(manager, itemId, scope);
      if (!item) throw new RoutingException(RoutingErrorCode.QueueItemNotFound, `no manual-routing item ${itemId}`);
      if (item.status !== 'open') throw new RoutingException(RoutingErrorCode.QueueItemResolved, `item ${itemId} is already resolved`);
      if (!(await this.reads.activeProcedureExists(manager, req.procedureId)))
        throw new RoutingException(RoutingErrorCode.ProcedureNotFound, `procedure '${req.procedureId}' does not exist or is inactive`);
      await this.reads.markResolved(manager, itemId, req.procedureId);
      const decision = {
        procedureId: req.procedureId,
        procedureTopic: procedureTopic(req.procedureId),
        ruleId: `manual-${itemId.slice(0, 8)}`,
        ruleVersion: 1,
        matchedPrefix: item.canonical.tenant.ars,
        explanation: `routed manually to procedure ${req.procedureId} by a clerk${req.note ? `: ${req.note}` : ''}`,
      };
      // A clerk decides who is responsible, not whether the evidence suffices: the same § 3a check applies.
      const missing = await this.routeCase.routeOrHold(manager, item.canonical, undefined, decision);
      const resolved = { itemId, caseId: item.case_id, procedureId: req.procedureId, status: 'resolved' as const };
      return missing.length > 0 ? { ...resolved, caseStatus: 'ACTION_REQUIRED', missing } : resolved;
    });
    this.messaging.relay.nudge();
    return result;
  }
}
