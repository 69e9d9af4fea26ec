import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { Permission } from '@poststelle/platform';
import { DataSource } from 'typeorm';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { aggregateBundleStatus, type SubCaseStatus } from './bundle-status';

interface MemberRow {
  caseId: string;
  lifeEvent: string;
  size: number;
  position: number;
  leikaKey: string;
  procedureId: string | null;
  outcome: string | null;
  lastStatus: SubCaseStatus | null;
}

/** `GET /v1/bundles/{bundleId}`: the sub-cases of a life-event application, where each went, and one status. */
@Controller('v1/bundles')
export class BundlesController {
  constructor(private readonly dataSource: DataSource) {}

  @Permission('case:read')
  @Get(':bundleId')
  async get(@Param('bundleId', new ParseUUIDPipe({ version: '4' })) bundleId: string) {
    const members = await this.dataSource.query<MemberRow[]>(
      `SELECT m.case_id AS "caseId", m.life_event AS "lifeEvent", m.size, m.position, m.leika_key AS "leikaKey",
              d.procedure_id AS "procedureId", d.outcome,
              (SELECT h.status FROM routing.case_status_history h WHERE h.case_id = m.case_id ORDER BY h.reported_at DESC, h.recorded_at DESC LIMIT 1) AS "lastStatus"
         FROM routing.bundle_members m LEFT JOIN routing.routing_decisions d ON d.case_id = m.case_id
        WHERE m.bundle_id = $1 ORDER BY m.position`,
      [bundleId],
    );
    if (members.length === 0) throw new RoutingException(RoutingErrorCode.BundleNotFound, `no bundle ${bundleId} (yet)`);
    const subCases = members.map((m) => ({
      position: m.position,
      caseId: m.caseId,
      leikaKey: m.leikaKey,
      procedureId: m.outcome === 'routed' || m.outcome === 'action-required' ? m.procedureId : null,
      routing: m.outcome ?? 'pending',
      status: m.lastStatus ?? 'SUBMITTED',
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
