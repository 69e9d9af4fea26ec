import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { Permission } from '@poststelle/platform';
import { DataSource } from 'typeorm';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';

/** The portal reads a case's status history and the notifications sent to the applicant. */
@Controller('v1/cases')
export class CaseStatusController {
  constructor(private readonly dataSource: DataSource) {}

  @Permission('case:read')
  @Get(':caseId/status')
  async status(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    const history = await this.dataSource.query<{ status: string }[]>(
      `SELECT status, message, documents, procedure_id AS "procedureId", reported_by AS "reportedBy", reported_at AS "reportedAt"
         FROM routing.case_status_history WHERE case_id = $1 ORDER BY reported_at, recorded_at`,
      [caseId],
    );
    const [decision] = await this.dataSource.query<{ outcome: string }[]>(
      'SELECT outcome FROM routing.routing_decisions WHERE case_id = $1',
      [caseId],
    );
    if (!decision && history.length === 0)
      throw new RoutingException(RoutingErrorCode.DecisionNotFound, `no status for case ${caseId} (yet)`);
    // Before any back office reported, the case is SUBMITTED (FIT-Connect's status once it was handed over).
    return { caseId, status: history.at(-1)?.status ?? 'SUBMITTED', history };
  }

  @Permission('case:read')
  @Get(':caseId/notifications')
  notifications(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    return this.dataSource.query(
      `SELECT notification_id AS "notificationId", channel, subject, state, attempts, last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"
         FROM routing.notifications WHERE case_id = $1 ORDER BY created_at`,
      [caseId],
    );
  }
}
