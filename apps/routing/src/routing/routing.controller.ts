import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Permission, tenantScopeOf, type Principal } from '@poststelle/platform';
import { DataSource } from 'typeorm';
import { procedureTopic, validateContract } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { ResolveManualRoutingRequest } from '../admin/admin.requests';
import { RouteCaseUseCase } from './route-case.use-case';
import { RoutingErrorCode, RoutingException } from './routing.exception';
import { RoutingReadsRepository } from './routing-reads.repository';

/** Routing decisions and the manual-routing queue, each scoped to the caller's tenants (another tenant's: 404). */
@Controller('v1')
export class RoutingController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: RoutingReadsRepository,
    private readonly routeCase: RouteCaseUseCase,
    private readonly messaging: MessagingRuntime,
  ) {}

  /** Explains the routing decision in words a clerk understands. */
  @Permission('case:read')
  @Get('cases/:caseId/routing')
  async explain(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal?: Principal) {
    const row = await this.reads.decision(caseId, tenantScopeOf(principal));
    if (!row) throw new RoutingException(RoutingErrorCode.DecisionNotFound, `no routing decision for case ${caseId} (yet)`);
    return { caseId, ...row };
  }

  @Permission('queue:work')
  @Get('manual-routing')
  queue(@Query('status') status = 'open', @CurrentPrincipal() principal?: Principal) {
    return this.reads.queue(status === 'resolved' ? 'resolved' : 'open', tenantScopeOf(principal));
  }

  /** A clerk names the procedure; the case is routed to it at once. */
  @Permission('queue:work')
  @Post('manual-routing/:itemId/resolve')
  async resolve(
    @Param('itemId', new ParseUUIDPipe({ version: '4' })) itemId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal?: Principal,
  ) {
    const req = validateContract(ResolveManualRoutingRequest, body);
    const scope = tenantScopeOf(principal);
    const result = await this.dataSource.transaction(async (manager) => {
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
      if (missing.length > 0) {
        return { itemId, caseId: item.case_id, procedureId: req.procedureId, status: 'resolved', caseStatus: 'ACTION_REQUIRED', missing };
      }
      return { itemId, caseId: item.case_id, procedureId: req.procedureId, status: 'resolved' };
    });
    this.messaging.relay.nudge();
    return result;
  }
}
