import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { cursorTimeSql, type PageRequest } from '@poststelle/platform';
import { type ReadScope, scopeCondition } from '../../core';
import { type ClassificationRule } from './scan-rules';
import { batchVisible } from './scan.repository';

export type QueueResolution = 'new-case' | 'follow-up';

export interface QueueItemRow {
  itemId: string;
  batchId: string;
  documentId: string;
  status: 'open' | 'resolved';
  confidence: number;
  reasonCode: string;
  reason: string;
  candidates: unknown[];
  textExcerpt: string;
  caseId: string | null;
  resolvedBy: string | null;
  /** How the clerk resolved it; null while open. */
  resolution: QueueResolution | null;
  queuedAt: Date;
  resolvedAt: Date | null;
}

/** SQL of the manual-classification queue and of the classification rules' administration (ADR 0016 scope). */
@Injectable()
export class ClassificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The queue items of the batches visible in the scope (their authority, `tenantArs` of the index). */
  /** Oldest first, one page after the cursor's item (keyset on queued time and item id); `cursorAt` is the key. */
  async queue(status: 'open' | 'resolved' | 'all', scope: ReadScope, page: PageRequest): Promise<(QueueItemRow & { cursorAt: string })[]> {
    const params: unknown[] = [status];
    const visible = batchVisible(scope, params);
    params.push(page.limit + 1, page.after?.[0] ?? null, page.after?.[1] ?? null);
    const n = params.length;
    const rows = await this.dataSource.query<(QueueDb & { cursor_at: string })[]>(
      `SELECT q.*, ${cursorTimeSql('q.queued_at')} AS cursor_at FROM intake.scan_classification_queue q
         JOIN intake.scan_batches b ON b.batch_id = q.batch_id
        WHERE ($1 = 'all' OR q.status = $1) AND ${visible}
          AND ($${n - 1}::timestamptz IS NULL OR (q.queued_at, q.item_id) > ($${n - 1}::timestamptz, $${n}::uuid))
        ORDER BY q.queued_at, q.item_id LIMIT $${n - 2}`,
      params,
    );
    return rows.map((r) => ({ ...queueOf(r), cursorAt: r.cursor_at }));
  }

  /** Open items in the scope: how many, and since when the oldest waits. */
  async openSummary(scope: ReadScope): Promise<{ count: number; oldestAt: Date | null }> {
    const params: unknown[] = [];
    const [row] = await this.dataSource.query<{ count: number; oldest_at: Date | null }[]>(
      `SELECT count(*)::int AS count, min(q.queued_at) AS oldest_at FROM intake.scan_classification_queue q
         JOIN intake.scan_batches b ON b.batch_id = q.batch_id WHERE q.status = 'open' AND ${batchVisible(scope, params)}`,
      params,
    );
    return { count: row?.count ?? 0, oldestAt: row?.oldest_at ?? null };
  }

  /** The item, locked, if its batch is visible in the scope; with the client that delivered the batch. */
  async lockQueueItem(
    manager: EntityManager,
    itemId: string,
    scope: ReadScope,
  ): Promise<(QueueItemRow & { facts: unknown; batchSubmittedBy: string | null }) | undefined> {
    const params: unknown[] = [itemId];
    const [r] = await manager.query<(QueueDb & { facts: unknown; batch_submitted_by: string | null })[]>(
      `SELECT q.*, b.submitted_by AS batch_submitted_by FROM intake.scan_classification_queue q
         JOIN intake.scan_batches b ON b.batch_id = q.batch_id WHERE q.item_id = $1 AND ${batchVisible(scope, params)} FOR UPDATE OF q`,
      params,
    );
    return r && { ...queueOf(r), facts: r.facts, batchSubmittedBy: r.batch_submitted_by };
  }

  async resolveQueueItem(
    manager: EntityManager,
    itemId: string,
    r: { caseId: string; resolvedBy: string; resolution: QueueResolution },
  ): Promise<void> {
    await manager.query(
      `UPDATE intake.scan_classification_queue SET status = 'resolved', case_id = $2, resolved_by = $3, resolution = $4, resolved_at = now()
        WHERE item_id = $1`,
      [itemId, r.caseId, r.resolvedBy, r.resolution],
    );
  }

  /** The rules a config reader sees: those of its tenants, and the rules without a tenant (they apply to every batch). */
  async rules(scope: ReadScope): Promise<ClassificationRule[]> {
    const params: unknown[] = [];
    const rows = await this.dataSource.query<
      { rule_id: string; leika_key: string; tenant_ars: string | null; form_ids: string[]; keywords: string[] }[]
    >(
      `SELECT rule_id, leika_key, tenant_ars, form_ids, keywords FROM intake.scan_classification_rules
        WHERE tenant_ars IS NULL OR ${scopeCondition(scope, 'tenant_ars', undefined, params)} ORDER BY rule_id`,
      params,
    );
    return rows.map((r) => ({
      ruleId: r.rule_id,
      leikaKey: r.leika_key,
      ...(r.tenant_ars ? { tenantArs: r.tenant_ars } : {}),
      formIds: r.form_ids,
      keywords: r.keywords,
    }));
  }

  /** Whether a rule with this id exists and whose tenant it is (null: a rule for every tenant). */
  async ruleOwner(ruleId: string): Promise<{ tenantArs: string | null } | undefined> {
    const [r] = await this.dataSource.query<{ tenant_ars: string | null }[]>(
      'SELECT tenant_ars FROM intake.scan_classification_rules WHERE rule_id = $1',
      [ruleId],
    );
    return r && { tenantArs: r.tenant_ars };
  }

  async upsertRule(r: ClassificationRule): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO intake.scan_classification_rules (rule_id, leika_key, tenant_ars, form_ids, keywords, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (rule_id) DO UPDATE SET leika_key = $2, tenant_ars = $3, form_ids = $4, keywords = $5, updated_at = now()`,
      [r.ruleId, r.leikaKey, r.tenantArs ?? null, JSON.stringify(r.formIds), JSON.stringify(r.keywords)],
    );
  }
}

interface QueueDb {
  item_id: string;
  batch_id: string;
  document_id: string;
  status: 'open' | 'resolved';
  confidence: string;
  reason_code: string;
  reason: string;
  candidates: unknown[];
  text_excerpt: string;
  case_id: string | null;
  resolved_by: string | null;
  resolution: QueueResolution | null;
  queued_at: Date;
  resolved_at: Date | null;
}

const queueOf = (r: QueueDb): QueueItemRow => ({
  itemId: r.item_id,
  batchId: r.batch_id,
  documentId: r.document_id,
  status: r.status,
  confidence: Number(r.confidence),
  reasonCode: r.reason_code,
  reason: r.reason,
  candidates: r.candidates,
  textExcerpt: r.text_excerpt,
  caseId: r.case_id,
  resolvedBy: r.resolved_by,
  resolution: r.resolution,
  queuedAt: r.queued_at,
  resolvedAt: r.resolved_at,
});
