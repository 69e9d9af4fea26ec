import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Permission } from '@poststelle/platform';
import { DataSource } from 'typeorm';
import { procedureTopic, validateContract, type CaseV1 } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { ResolveManualRoutingRequest } from '../admin/admin.requests';
import { RouteCaseUseCase } from './route-case.use-case';
import { RoutingErrorCode, RoutingException } from './routing.exception';

@Controller('v1')
export class RoutingController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routeCase: RouteCaseUseCase,
    private readonly messaging: MessagingRuntime,
  ) {}

  /** Explains the routing decision in words a clerk understands. */
  @Permission('case:read')
  @Get('cases/:caseId/routing')
  async explain(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT outcome, procedure_id AS "procedureId", rule_id AS "ruleId", rule_version AS "ruleVersion", matched_prefix AS "matchedPrefix",
              explanation, decided_at AS "decidedAt" FROM routing.routing_decisions WHERE case_id = $1`,
      [caseId],
    );
    if (!row) throw new RoutingException(RoutingErrorCode.DecisionNotFound, `no routing decision for case ${caseId} (yet)`);
    return { caseId, ...row };
  }

  @Permission('queue:work')
  @Get('manual-routing')
  queue(@Query('status') status = 'open') {
    return this.dataSource.query(
      `SELECT item_id AS "itemId", case_id AS "caseId", reason_code AS "reasonCode", reason, status, created_at AS "createdAt",
              resolved_procedure_id AS "resolvedProcedureId" FROM routing.manual_routing_queue WHERE status = $1 ORDER BY created_at`,
      [status === 'resolved' ? 'resolved' : 'open'],
    );
  }

  /** A clerk names the procedure; the case is routed to it at once. */
  @Permission('queue:work')
  @Post('manual-routing/:itemId/resolve')
  async resolve(@Param('itemId', new ParseUUIDPipe({ version: '4' })) itemId: string, @Body() body: unknown) {
    const req = validateContract(ResolveManualRoutingRequest, body);
    const result = await this.dataSource.transaction(async (manager) => {
      const [item] = await manager.query<
        {
          case_id: string;
          status: string;
          canonical: CaseV1;
        }[]
      >('SELECT case_id, status, canonical FROM routing.manual_routing_queue WHERE item_id = $1 FOR UPDATE', [itemId]);
      if (!item) throw new RoutingException(RoutingErrorCode.QueueItemNotFound, `no manual-routing item ${itemId}`);
      if (item.status !== 'open') throw new RoutingException(RoutingErrorCode.QueueItemResolved, `item ${itemId} is already resolved`);
      const [proc] = await manager.query<unknown[]>('SELECT procedure_id FROM routing.procedures WHERE procedure_id = $1 AND active', [
        req.procedureId,
      ]);
      if (!proc)
        throw new RoutingException(RoutingErrorCode.ProcedureNotFound, `procedure '${req.procedureId}' does not exist or is inactive`);
      await manager.query(
        `UPDATE routing.manual_routing_queue SET status = 'resolved', resolved_procedure_id = $2, resolved_at = now() WHERE item_id = $1`,
        [itemId, req.procedureId],
      );
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
