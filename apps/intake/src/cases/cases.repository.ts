import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type CaseV1 } from '@poststelle/contracts';
import { cursorTimeSql, significantPrefix, type PageRequest } from '@poststelle/platform';
import { type ReadScope, scopeCondition } from '../core';
import { type CaseState, type SearchChannel } from './case-search.request';

export interface TimelineRow {
  event_type: string;
  topic: string;
  summary: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * A case's state as intake's read model knows it (its timeline): one definition for `GET /v1/cases/{id}` and the
 * search, so both always say the same.
 */
const STATE_OF = (c: string) => `CASE
  WHEN EXISTS (SELECT 1 FROM intake.case_timeline t WHERE t.case_id = ${c}.case_id AND t.event_type = 'case.routed') THEN 'routed'
  WHEN EXISTS (SELECT 1 FROM intake.case_timeline t WHERE t.case_id = ${c}.case_id AND t.event_type = 'case.manual-routing-required')
    THEN 'manual-routing'
  ELSE 'received' END`;
/**
 * Whether the case came through intake's own FIT-Connect API (its submission is recorded there), not merely a portal
 * submission naming a FIT-Connect submission id.
 */
const VIA_FIT_CONNECT = (c: string) => `EXISTS (SELECT 1 FROM intake.fit_submissions f WHERE f.case_id = ${c}.case_id)`;
/** The channel as operators name it: `fit-connect` for portal cases that came through FIT-Connect. */
const CHANNEL_OF = (c: string) => `CASE WHEN ${VIA_FIT_CONNECT(c)} THEN 'fit-connect' ELSE ${c}.channel END`;

/** What the case search filters by; the reference as its stored key (`keyOfCaseReference`). */
export interface CaseFilter {
  caseId?: string;
  referenceKey?: string;
  senderReference?: string;
  tenant?: string;
  service?: string;
  channel?: SearchChannel;
  status?: CaseState;
  receivedFrom?: string;
  receivedTo?: string;
}

export interface CaseListRow {
  caseId: string;
  tenant: string;
  service: string;
  channel: string;
  status: CaseState;
  receivedAt: Date;
  senderReference: string | null;
  /** `received_at` with microseconds: the cursor key (with the case id). */
  cursorAt: string;
}

/** Reads of cases and submissions, scoped to the caller (ADR 0016): out of scope is the same as not there. */
@Injectable()
export class CasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The case if the scope covers its tenant (the authority it is addressed to, `tenant.ars`), with its state. */
  async findCase(
    caseId: string,
    scope: ReadScope,
  ): Promise<{ canonical: CaseV1; submissionId: string; receivedAt: Date; status: CaseState } | undefined> {
    const params: unknown[] = [caseId];
    const visible = scopeCondition(scope, 'c.tenant_ars', undefined, params);
    const [row] = await this.dataSource.query<{ canonical: CaseV1; submission_id: string; received_at: Date; status: CaseState }[]>(
      `SELECT c.canonical, c.submission_id, c.received_at, ${STATE_OF('c')} AS status FROM intake.cases c WHERE c.case_id = $1 AND ${visible}`,
      params,
    );
    return row && { canonical: row.canonical, submissionId: row.submission_id, receivedAt: row.received_at, status: row.status };
  }

  /**
   * Cases of the caller's tenants matching every filter given, newest first, one page after the cursor's case
   * (keyset on received time and case id). The scope is a condition of this query, whatever the filters say.
   */
  async search(filter: CaseFilter, scope: ReadScope, page: PageRequest): Promise<CaseListRow[]> {
    const params: unknown[] = [];
    const arg = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [scopeCondition(scope, 'c.tenant_ars', undefined, params)];
    if (filter.caseId) where.push(`c.case_id = ${arg(filter.caseId)}::uuid`);
    if (filter.referenceKey) where.push(`c.case_ref = ${arg(filter.referenceKey)}`);
    if (filter.senderReference) where.push(`(c.canonical->>'senderReference') = ${arg(filter.senderReference)}`);
    if (filter.tenant) where.push(`c.tenant_ars LIKE ${arg(`${significantPrefix(filter.tenant)}%`)}`);
    if (filter.service) where.push(`c.leika_key = ${arg(filter.service)}`);
    if (filter.channel === 'fit-connect' || filter.channel === 'portal') {
      where.push(`c.channel = 'portal' AND ${filter.channel === 'portal' ? 'NOT ' : ''}${VIA_FIT_CONNECT('c')}`);
    } else if (filter.channel) where.push(`c.channel = ${arg(filter.channel)}`);
    if (filter.status) where.push(`${STATE_OF('c')} = ${arg(filter.status)}`);
    if (filter.receivedFrom) where.push(`c.received_at >= ${arg(filter.receivedFrom)}::timestamptz`);
    if (filter.receivedTo) where.push(`c.received_at < ${arg(filter.receivedTo)}::timestamptz`);
    if (page.after) where.push(`(c.received_at, c.case_id) < (${arg(page.after[0])}::timestamptz, ${arg(page.after[1])}::uuid)`);
    return this.dataSource.query<CaseListRow[]>(
      `SELECT c.case_id AS "caseId", c.tenant_ars AS tenant, c.leika_key AS service, ${CHANNEL_OF('c')} AS channel,
              ${STATE_OF('c')} AS status, c.received_at AS "receivedAt", c.canonical->>'senderReference' AS "senderReference",
              ${cursorTimeSql('c.received_at')} AS "cursorAt"
         FROM intake.cases c WHERE ${where.join(' AND ')}
        ORDER BY c.received_at DESC, c.case_id DESC LIMIT ${arg(page.limit + 1)}`,
      params,
    );
  }

  /**
   * FIT-Connect cases no procedure has taken yet (not routed: still received, or waiting for a clerk in manual
   * routing), in the scope: how many, and since when the oldest waits.
   */
  async fitConnectWaiting(scope: ReadScope): Promise<{ count: number; oldestAt: Date | null }> {
    const params: unknown[] = [];
    const [row] = await this.dataSource.query<{ count: number; oldest_at: Date | null }[]>(
      `SELECT count(*)::int AS count, min(c.received_at) AS oldest_at FROM intake.cases c
        WHERE c.channel = 'portal' AND ${VIA_FIT_CONNECT('c')} AND ${STATE_OF('c')} <> 'routed'
          AND ${scopeCondition(scope, 'c.tenant_ars', undefined, params)}`,
      params,
    );
    return { count: row?.count ?? 0, oldestAt: row?.oldest_at ?? null };
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
