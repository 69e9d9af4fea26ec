import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { CurrentPrincipal, Permission, tenantScopeOf, type Principal } from '@poststelle/platform';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { RoutingReadsRepository } from '../routing/routing-reads.repository';

/**
 * The portal reads a case's status history and the notifications sent to the applicant. Scoped to the caller's
 * tenants: another tenant's case has no status (404) and no notifications (empty list).
 */
@Controller('v1/cases')
export class CaseStatusController {
  constructor(private readonly reads: RoutingReadsRepository) {}

  @Permission('case:read')
  @Get(':caseId/status')
  async status(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal?: Principal) {
    const { known, history } = await this.reads.status(caseId, tenantScopeOf(principal));
    if (!known) throw new RoutingException(RoutingErrorCode.DecisionNotFound, `no status for case ${caseId} (yet)`);
    // Before any back office reported, the case is SUBMITTED (FIT-Connect's status once it was handed over).
    return { caseId, status: history.at(-1)?.status ?? 'SUBMITTED', history };
  }

  @Permission('case:read')
  @Get(':caseId/notifications')
  notifications(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal?: Principal) {
    return this.reads.notifications(caseId, tenantScopeOf(principal));
  }
}
