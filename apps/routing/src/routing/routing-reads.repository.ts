import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type CaseV1 } from '@poststelle/contracts';
import { cursorTimeSql, tenantScopeParam, tenantScopeSql, type PageRequest, type TenantScope } from '@poststelle/platform';

export interface QueueItem {
  case_id: string;
  status: string;
  canonical: CaseV1;
}

export interface BundleMemberRow {
  caseId: string;
  lifeEvent: string;
  size: number;
  position: number;
  leikaKey: string;
  procedureId: string | null;
  outcome: string | null;
  lastStatus: string | null;
}

/** The case's tenant as the manual-routing queue knows it: from the canonical case it keeps. */
const QUEUE_TENANT = `(canonical->'tenant'->>'ars')`;

/** A case is in scope when its routing decision's tenant is (every case routing knows has a decision). */
const decisionInScope = (caseColumn: string, param: string) =>
  `(${param}::text[] IS NULL OR EXISTS (SELECT 1 FROM routing.routing_decisions sd WHERE sd.case_id = ${caseColumn}
     AND ${tenantScopeSql('sd.tenant_ars', param)}))`;

/**
 * What caseworkers read and work in routing: decisions, the manual-routing queue, status history, notifications and
 * bundles, each scoped to the caller's tenants in the query. Another tenant's case is not there (404 / empty list).
 */
@Injectable()
export class RoutingReadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async decision(caseId: string, scope: TenantScope): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT outcome, procedure_id AS "procedureId", rule_id AS "ruleId", rule_version AS "ruleVersion", matched_prefix AS "matchedPrefix",
              explanation, decided_at AS "decidedAt" FROM routing.routing_decisions WHERE case_id = $1 AND ${tenantScopeSql('tenant_ars', '$2')}`,
      [caseId, tenantScopeParam(scope)],
    );
    return row;
  }

  /** Oldest first, one page after the cursor's item (keyset on creation time and item id); `cursorAt` is the key. */
  queue(
    status: 'open' | 'resolved',
    scope: TenantScope,
    page: PageRequest,
  ): Promise<(Record<string, unknown> & { itemId: string; cursorAt: string })[]> {
    return this.dataSource.query(
      `SELECT item_id AS "itemId", case_id AS "caseId", ${QUEUE_TENANT} AS "tenantArs", reason_code AS "reasonCode", reason, status,
              created_at AS "createdAt", resolved_procedure_id AS "resolvedProcedureId", ${cursorTimeSql('created_at')} AS "cursorAt"
         FROM routing.manual_routing_queue WHERE status = $1 AND ${tenantScopeSql(QUEUE_TENANT, '$2')}
          AND ($4::timestamptz IS NULL OR (created_at, item_id) > ($4::timestamptz, $5::uuid))
        ORDER BY created_at, item_id LIMIT $3`,
      [status, tenantScopeParam(scope), page.limit + 1, page.after?.[0] ?? null, page.after?.[1] ?? null],
    );
  }

  /** Open items in the scope: how many, and since when the oldest waits. */
  async openQueueSummary(scope: TenantScope): Promise<{ count: number; oldestAt: Date | null }> {
    const [row] = await this.dataSource.query<{ count: number; oldest_at: Date | null }[]>(
      `SELECT count(*)::int AS count, min(created_at) AS oldest_at FROM routing.manual_routing_queue
        WHERE status = 'open' AND ${tenantScopeSql(QUEUE_TENANT, '$1')}`,
      [tenantScopeParam(scope)],
    );
    return { count: row?.count ?? 0, oldestAt: row?.oldest_at ?? null };
  }

  /** The queue item, locked, if it is in the scope. */
  async queueItemForUpdate(m: EntityManager, itemId: string, scope: TenantScope): Promise<QueueItem | undefined> {
    const [item] = await m.query<QueueItem[]>(
      `SELECT case_id, status, canonical FROM routing.manual_routing_queue WHERE item_id = $1 AND ${tenantScopeSql(QUEUE_TENANT, '$2')}
         FOR UPDATE`,
      [itemId, tenantScopeParam(scope)],
    );
    return item;
  }

  async activeProcedureExists(m: EntityManager, procedureId: string): Promise<boolean> {
    const rows = await m.query<unknown[]>('SELECT 1 FROM routing.procedures WHERE procedure_id = $1 AND active', [procedureId]);
    return rows.length > 0;
  }

  async markResolved(m: EntityManager, itemId: string, procedureId: string): Promise<void> {
    await m.query(
      `UPDATE routing.manual_routing_queue SET status = 'resolved', resolved_procedure_id = $2, resolved_at = now() WHERE item_id = $1`,
      [itemId, procedureId],
    );
  }

  /** Status history and whether routing knows the case, both only within the scope. */
  async status(caseId: string, scope: TenantScope): Promise<{ known: boolean; history: { status: string }[] }> {
    const param = tenantScopeParam(scope);
    const history = await this.dataSource.query<{ status: string }[]>(
      `SELECT status, message, documents, procedure_id AS "procedureId", reported_by AS "reportedBy", reported_at AS "reportedAt"
         FROM routing.case_status_history h WHERE case_id = $1 AND ${decisionInScope('h.case_id', '$2')} ORDER BY reported_at, recorded_at`,
      [caseId, param],
    );
    const decision = await this.decision(caseId, scope);
    return { known: decision !== undefined || history.length > 0, history };
  }

  notifications(caseId: string, scope: TenantScope): Promise<Record<string, unknown>[]> {
    return this.dataSource.query(
      `SELECT notification_id AS "notificationId", channel, subject, state, attempts, last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"
         FROM routing.notifications n WHERE case_id = $1 AND ${decisionInScope('n.case_id', '$2')} ORDER BY created_at`,
      [caseId, tenantScopeParam(scope)],
    );
  }

  /** The bundle's sub-cases the caller may see (a scoped caller sees only routed sub-cases of its tenants). */
  bundleMembers(bundleId: string, scope: TenantScope): Promise<BundleMemberRow[]> {
    return this.dataSource.query<BundleMemberRow[]>(
      `SELECT m.case_id AS "caseId", m.life_event AS "lifeEvent", m.size, m.position, m.leika_key AS "leikaKey",
              d.procedure_id AS "procedureId", d.outcome,
              (SELECT h.status FROM routing.case_status_history h WHERE h.case_id = m.case_id ORDER BY h.reported_at DESC, h.recorded_at DESC LIMIT 1) AS "lastStatus"
         FROM routing.bundle_members m LEFT JOIN routing.routing_decisions d ON d.case_id = m.case_id
        WHERE m.bundle_id = $1 AND ($2::text[] IS NULL OR ${tenantScopeSql('d.tenant_ars', '$2')}) ORDER BY m.position`,
      [bundleId, tenantScopeParam(scope)],
    );
  }
}
