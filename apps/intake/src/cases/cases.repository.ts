import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type CaseV1 } from '@poststelle/contracts';
import { type ReadScope, scopeCondition } from '../core';

export interface TimelineRow {
  event_type: string;
  topic: string;
  summary: Record<string, unknown>;
  occurred_at: Date;
}

/** Reads of cases and submissions, scoped to the caller (ADR 0016): out of scope is the same as not there. */
@Injectable()
export class CasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The case if the scope covers its tenant (the authority it is addressed to, `tenant.ars`). */
  async findCase(caseId: string, scope: ReadScope): Promise<{ canonical: CaseV1; submissionId: string; receivedAt: Date } | undefined> {
    const params: unknown[] = [caseId];
    const visible = scopeCondition(scope, 'tenant_ars', undefined, params);
    const [row] = await this.dataSource.query<{ canonical: CaseV1; submission_id: string; received_at: Date }[]>(
      `SELECT canonical, submission_id, received_at FROM intake.cases WHERE case_id = $1 AND ${visible}`,
      params,
    );
    return row && { canonical: row.canonical, submissionId: row.submission_id, receivedAt: row.received_at };
  }

  async timeline(caseId: string): Promise<TimelineRow[]> {
    return this.dataSource.query<TimelineRow[]>(
      'SELECT event_type, topic, summary, occurred_at FROM intake.case_timeline WHERE case_id = $1 ORDER BY occurred_at, event_type',
      [caseId],
    );
  }

  /** A submission: for its case's tenant, and for the channel client that handed it in. */
  async findSubmission(
    submissionId: string,
    scope: ReadScope,
  ): Promise<{ submissionId: string; caseId: string; channel: string; receivedAt: Date } | undefined> {
    const params: unknown[] = [submissionId];
    const visible = scopeCondition(scope, 'c.tenant_ars', 's.submitted_by', params);
    const [row] = await this.dataSource.query<{ submission_id: string; case_id: string; channel: string; received_at: Date }[]>(
      `SELECT s.submission_id, s.case_id, s.channel, s.received_at FROM intake.submissions s
         LEFT JOIN intake.cases c ON c.case_id = s.case_id WHERE s.submission_id = $1 AND ${visible}`,
      params,
    );
    return row && { submissionId: row.submission_id, caseId: row.case_id, channel: row.channel, receivedAt: row.received_at };
  }

  /** One entry of a case's timeline, once per message (a redelivery changes nothing); inside the consumer's transaction. */
  async recordTimelineEntry(
    manager: EntityManager,
    entry: { messageId: string; caseId: string; eventType: string; topic: string; summary: Record<string, unknown>; occurredAt: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO intake.case_timeline (message_id, case_id, event_type, topic, summary, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_id) DO NOTHING`,
      [entry.messageId, entry.caseId, entry.eventType, entry.topic, JSON.stringify(entry.summary), entry.occurredAt],
    );
  }
}
