import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { caseReferenceOf } from '../email/email-rules';
import { IntakeErrorCode, IntakeException } from '../submissions/intake.exception';

/** `GET /v1/cases/{caseId}`: the canonical case and where it went (routing, fee, e-file, invoice). */
@Controller('v1')
export class CasesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('cases/:caseId')
  async get(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    const [row] = await this.dataSource.query<
      {
        canonical: Record<string, unknown>;
        submission_id: string;
        received_at: Date;
      }[]
    >('SELECT canonical, submission_id, received_at FROM intake.cases WHERE case_id = $1', [caseId]);
    if (!row) throw new IntakeException(IntakeErrorCode.CaseNotFound, `no case ${caseId}`);
    const timeline = await this.dataSource.query<
      { event_type: string; topic: string; summary: Record<string, unknown>; occurred_at: Date }[]
    >('SELECT event_type, topic, summary, occurred_at FROM intake.case_timeline WHERE case_id = $1 ORDER BY occurred_at, event_type', [
      caseId,
    ]);
    const routed = timeline.find((t) => t.event_type === 'case.routed');
    return {
      caseId,
      caseReference: caseReferenceOf(caseId),
      submissionId: row.submission_id,
      receivedAt: row.received_at,
      status: routed ? 'routed' : timeline.some((t) => t.event_type === 'case.manual-routing-required') ? 'manual-routing' : 'received',
      routedTo: routed ? routed.summary : null,
      case: row.canonical,
      timeline: timeline.map((t) => ({ type: t.event_type, topic: t.topic, at: t.occurred_at, ...t.summary })),
    };
  }

  @Get('submissions/:submissionId')
  async submission(@Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string) {
    const [row] = await this.dataSource.query<
      {
        submission_id: string;
        case_id: string;
        channel: string;
        received_at: Date;
      }[]
    >('SELECT submission_id, case_id, channel, received_at FROM intake.submissions WHERE submission_id = $1', [submissionId]);
    if (!row) throw new IntakeException(IntakeErrorCode.SubmissionNotFound, `no submission ${submissionId}`);
    return { submissionId: row.submission_id, caseId: row.case_id, channel: row.channel, status: 'accepted', receivedAt: row.received_at };
  }
}
