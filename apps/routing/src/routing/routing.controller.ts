import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { CurrentPrincipal, Permission, type Principal, queuePageWithHeader, tenantScopeOf } from '@poststelle/platform';
import { validateContract } from '@poststelle/contracts';
import { ResolveManualRoutingRequest } from '../admin/admin.requests';
import { ResolveManualRoutingUseCase } from './resolve-manual-routing.use-case';
import { RoutingErrorCode, RoutingException } from './routing.exception';
import { RoutingReadsRepository } from './routing-reads.repository';

/** Routing decisions and the manual-routing queue, each scoped to the caller's tenants (another tenant's: 404). */
@Controller('v1')
export class RoutingController {
  constructor(
    private readonly reads: RoutingReadsRepository,
    private readonly resolveManual: ResolveManualRoutingUseCase,
  ) {}

  /** Explains the routing decision in words a clerk understands. */
  @Permission('case:read')
  @Get('cases/:caseId/routing')
  async explain(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal?: Principal) {
    const row = await this.reads.decision(caseId, tenantScopeOf(principal));
    if (!row) throw new RoutingException(RoutingErrorCode.DecisionNotFound, `no routing decision for case ${caseId} (yet)`);
    return { caseId, ...row };
  }

  /** Oldest first, one page (`limit`, `cursor`); the body stays a bare array, the next cursor is in `Next-Cursor`. */
  @Permission('queue:work')
  @Get('manual-routing')
  async queue(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal?: Principal,
  ) {
    const status = query['status'] === 'resolved' ? 'resolved' : 'open';
    return queuePageWithHeader(
      query,
      ['timestamp', 'uuid'],
      (page) => this.reads.queue(status, tenantScopeOf(principal), page),
      (r) => [r.cursorAt, r.itemId],
      res,
    );
  }

  /** A clerk names the procedure; the case is routed to it at once. */
  @Permission('queue:work')
  @Post('manual-routing/:itemId/resolve')
  resolve(
    @Param('itemId', new ParseUUIDPipe({ version: '4' })) itemId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal?: Principal,
  ) {
    return this.resolveManual.execute(itemId, validateContract(ResolveManualRoutingRequest, body), tenantScopeOf(principal));
  }
}
