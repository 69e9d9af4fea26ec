import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { CurrentPrincipal, Permission, tenantScopeOf, type Principal } from '@poststelle/platform';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { RoutingReadsRepository } from '../routing/routing-reads.repository';
import { aggregateBundleStatus, type SubCaseStatus } from './bundle-status';

/**
 * `GET /v1/bundles/{bundleId}`: the sub-cases of a life-event application, where each went, and one status. A caller
 * scoped to tenants sees only the sub-cases routed within them; none: 404.
 */
@Controller('v1/bundles')
export class BundlesController {
  constructor(private readonly reads: RoutingReadsRepository) {}

  @Permission('case:read')
  @Get(':bundleId')
  async get(@Param('bundleId', new ParseUUIDPipe({ version: '4' })) bundleId: string, @CurrentPrincipal() principal?: Principal) {
    const members = await this.reads.bundleMembers(bundleId, tenantScopeOf(principal));
    if (members.length === 0) throw new RoutingException(RoutingErrorCode.BundleNotFound, `no bundle ${bundleId} (yet)`);
    const subCases = members.map((m) => ({
      position: m.position,
      caseId: m.caseId,
      leikaKey: m.leikaKey,
      procedureId: m.outcome === 'routed' || m.outcome === 'action-required' ? m.procedureId : null,
      routing: m.outcome ?? 'pending',
      status: (m.lastStatus as SubCaseStatus | null) ?? 'SUBMITTED',
    }));
    return {
      bundleId,
      lifeEvent: members[0]!.lifeEvent,
      size: members[0]!.size,
      status: aggregateBundleStatus(
        members[0]!.size,
        subCases.map((c) => c.status),
      ),
      subCases,
    };
  }
}
