import { keyOfCaseReference } from '@poststelle/contracts';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ReadScope, scopeCondition, UNSCOPED } from '../../core';
import { type ClassificationRule } from './scan-rules';
import { type ScanIndexDto } from './scan-index';
import { type IndexSeal } from './scan.ports';
import {
  batchOf,
  documentOf,
  type BatchDb,
  type BatchStatus,
  type DocumentDb,
  type DocumentStatus,
  type ScanBatchRow,
  type ScanDocumentRow,
} from './scan.rows';

export type { BatchStatus, DocumentStatus, ScanBatchRow, ScanDocumentRow } from './scan.rows';

/** Batches that hold their index hash (taken once); a batch refused only for its seal does not. */
const TAKES_INDEX = `(reason_code IS NULL OR reason_code NOT LIKE 'SCAN_INDEX_SEAL_%')`;

/**
 * A batch (alias `b`) belongs to its authority (index `tenantArs`) and to the scan-centre client that delivered it;
 * a batch without a tenant is visible to that client and platform-admin only (ADR 0016).
 */
export const batchVisible = (scope: ReadScope, params: unknown[]): string =>
  scopeCondition(scope, "b.index->>'tenantArs'", 'b.submitted_by', params);

/** SQL of the paper-scan channel. */
@Injectable()
export class ScanRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a batch once per index sha512. Returns the existing batch instead when this index was seen before (a
   * re-delivered drop-folder batch, a retried upload).
   */
  async createBatch(b: {
    source: 'http' | 'drop-folder';
    indexSha512: string;
    index?: ScanIndexDto;
    indexSeal?: IndexSeal;
    status: BatchStatus;
    reasonCode?: string;
    reason?: string;
    dropFolder?: string;
    submittedBy: string;
  }): Promise<{ created: boolean; batch: ScanBatchRow }> {
    return this.dataSource.transaction(async (m) => {
      const batchId = randomUUID();
      const inserted = await m.query<{ batch_id: string }[]>(
        `INSERT INTO intake.scan_batches
           (batch_id, source, external_batch_id, index_sha512, index, status, reason_code, reason, drop_folder, index_seal, submitted_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (index_sha512) WHERE ${TAKES_INDEX} DO NOTHING RETURNING batch_id`,
        [
          batchId,
          b.source,
          b.index?.batchId ?? null,
          b.indexSha512,
          b.index ? JSON.stringify(b.index) : null,
          b.status,
          b.reasonCode ?? null,
          b.reason ?? null,
          b.dropFolder ?? null,
          b.indexSeal ? JSON.stringify(b.indexSeal) : null,
          b.submittedBy,
        ],
      );
      if (inserted.length === 0) {
        const [existing] = await m.query<BatchDb[]>(`SELECT * FROM intake.scan_batches WHERE index_sha512 = $1 AND ${TAKES_INDEX}`, [
          b.indexSha512,
        ]);
        if (!existing) throw new Error('scan batch conflict without an existing row');
        return { created: false, batch: batchOf(existing) };
      }
      for (const [i, d] of (b.index?.documents ?? []).entries()) {
        await m.query(
          `INSERT INTO intake.scan_documents (batch_id, document_id, position, file_name, media_type, expected_sha512, status)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending')`,
          [batchId, d.documentId, i, d.fileName, d.mediaType, d.sha512],
        );
      }
      const [row] = await m.query<BatchDb[]>('SELECT * FROM intake.scan_batches WHERE batch_id = $1', [batchId]);
      return { created: true, batch: batchOf(row as BatchDb) };
    });
  }

  async findBatch(batchId: string, scope: ReadScope = UNSCOPED): Promise<ScanBatchRow | undefined> {
    const params: unknown[] = [batchId];
    const [r] = await this.dataSource.query<BatchDb[]>(
      `SELECT * FROM intake.scan_batches b WHERE b.batch_id = $1 AND ${batchVisible(scope, params)}`,
      params,
    );
    return r && batchOf(r);
  }

  async findBatchByIndex(indexSha512: string): Promise<ScanBatchRow | undefined> {
    const [r] = await this.dataSource.query<BatchDb[]>(`SELECT * FROM intake.scan_batches WHERE index_sha512 = $1 AND ${TAKES_INDEX}`, [
      indexSha512,
    ]);
    return r && batchOf(r);
  }

  async documents(batchId: string): Promise<ScanDocumentRow[]> {
    const rows = await this.dataSource.query<DocumentDb[]>('SELECT * FROM intake.scan_documents WHERE batch_id = $1 ORDER BY position', [
      batchId,
    ]);
    return rows.map(documentOf);
  }

  /** One document, if its batch is visible in the scope or the case it became is. */
  async findDocument(batchId: string, documentId: string, scope: ReadScope): Promise<ScanDocumentRow | undefined> {
    const params: unknown[] = [batchId, documentId];
    const [r] = await this.dataSource.query<DocumentDb[]>(
      `SELECT d.* FROM intake.scan_documents d JOIN intake.scan_batches b ON b.batch_id = d.batch_id
         LEFT JOIN intake.cases c ON c.case_id = d.case_id
        WHERE d.batch_id = $1 AND d.document_id = $2 AND (${batchVisible(scope, params)} OR ${scopeCondition(scope, 'c.tenant_ars', undefined, params)})`,
      params,
    );
    return r && documentOf(r);
  }

  /**
   * Marks one document as uploaded (its bytes are in the blob store, hash checked) and adds its size to the batch;
   * the batch becomes `ready` once every document is in. Returns the batch status, or the byte total that would
   * exceed `maxBatchBytes` (nothing recorded then).
   */
  async recordUpload(
    batchId: string,
    documentId: string,
    sizeBytes: number,
    maxBatchBytes: number,
  ): Promise<{ status: BatchStatus } | { tooLarge: number }> {
    return this.dataSource.transaction(async (m) => {
      const [batch] = await m.query<{ total_bytes: string }[]>(
        'SELECT total_bytes FROM intake.scan_batches WHERE batch_id = $1 FOR UPDATE',
        [batchId],
      );
      const [doc] = await m.query<{ size_bytes: string | null }[]>(
        'SELECT size_bytes FROM intake.scan_documents WHERE batch_id = $1 AND document_id = $2',
        [batchId, documentId],
      );
      const total = Number(batch?.total_bytes ?? 0) - Number(doc?.size_bytes ?? 0) + sizeBytes;
      if (total > maxBatchBytes) return { tooLarge: total };
      await m.query(
        `UPDATE intake.scan_documents SET status = 'uploaded', size_bytes = $3, updated_at = now() WHERE batch_id = $1 AND document_id = $2`,
        [batchId, documentId, sizeBytes],
      );
      const [pending] = await m.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM intake.scan_documents WHERE batch_id = $1 AND status = 'pending'`,
        [batchId],
      );
      const status: BatchStatus = Number(pending?.n ?? 0) === 0 ? 'ready' : 'awaiting-documents';
      await m.query('UPDATE intake.scan_batches SET total_bytes = $2, status = $3, updated_at = now() WHERE batch_id = $1', [
        batchId,
        total,
        status,
      ]);
      return { status };
    });
  }

  async setBatchStatus(batchId: string, status: BatchStatus, reason?: { code: string; reason: string }): Promise<void> {
    await this.dataSource.query(
      'UPDATE intake.scan_batches SET status = $2, reason_code = $3, reason = $4, updated_at = now() WHERE batch_id = $1',
      [batchId, status, reason?.code ?? null, reason?.reason ?? null],
    );
  }

  /** Takes one batch that is ready (or whose processor died: claimed long ago) for processing. */
  async claimReadyBatch(leaseMinutes: number): Promise<ScanBatchRow | undefined> {
    const rows = await this.dataSource.query<BatchDb[]>(
      `WITH claimed AS (
         UPDATE intake.scan_batches SET status = 'processing', claimed_at = now(), updated_at = now()
          WHERE batch_id = (
            SELECT batch_id FROM intake.scan_batches
             WHERE status = 'ready' OR (status = 'processing' AND claimed_at < now() - make_interval(mins => $1))
             ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING *)
       SELECT * FROM claimed`,
      [leaseMinutes],
    );
    const r = rows[0];
    return r && batchOf(r);
  }

  async setDocumentOutcome(
    batchId: string,
    documentId: string,
    o: {
      status: Exclude<DocumentStatus, 'pending' | 'uploaded'>;
      reasonCode?: string;
      reason?: string;
      caseId?: string;
      pdfaSha512?: string;
      classification?: Record<string, unknown>;
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `UPDATE intake.scan_documents SET status = $3, reason_code = $4, reason = $5, case_id = $6, pdfa_sha512 = COALESCE($7, pdfa_sha512),
              classification = COALESCE($8, classification), updated_at = now()
        WHERE batch_id = $1 AND document_id = $2`,
      [
        batchId,
        documentId,
        o.status,
        o.reasonCode ?? null,
        o.reason ?? null,
        o.caseId ?? null,
        o.pdfaSha512 ?? null,
        o.classification ? JSON.stringify(o.classification) : null,
      ],
    );
  }

  async rules(): Promise<ClassificationRule[]> {
    const rows = await this.dataSource.query<
      { rule_id: string; leika_key: string; tenant_ars: string | null; form_ids: string[]; keywords: string[] }[]
    >('SELECT rule_id, leika_key, tenant_ars, form_ids, keywords FROM intake.scan_classification_rules ORDER BY rule_id');
    return rows.map((r) => ({
      ruleId: r.rule_id,
      leikaKey: r.leika_key,
      ...(r.tenant_ars ? { tenantArs: r.tenant_ars } : {}),
      formIds: r.form_ids,
      keywords: r.keywords,
    }));
  }

  async caseIdsByReference(
    reference: string,
    manager: EntityManager = this.dataSource.manager,
    scope: ReadScope = UNSCOPED,
  ): Promise<{ caseId: string; tenantArs: string }[]> {
    const key = keyOfCaseReference(reference);
    if (!key) return [];
    const params: unknown[] = [key];
    const rows = await manager.query<{ case_id: string; tenant_ars: string }[]>(
      `SELECT case_id, tenant_ars FROM intake.cases WHERE case_ref = $1 AND ${scopeCondition(scope, 'tenant_ars', undefined, params)} LIMIT 2`,
      params,
    );
    return rows.map((r) => ({ caseId: r.case_id, tenantArs: r.tenant_ars }));
  }

  async caseById(
    manager: EntityManager,
    caseId: string,
    scope: ReadScope = UNSCOPED,
  ): Promise<{ caseId: string; tenantArs: string } | undefined> {
    const params: unknown[] = [caseId];
    const [r] = await manager.query<{ case_id: string; tenant_ars: string }[]>(
      `SELECT case_id, tenant_ars FROM intake.cases WHERE case_id = $1 AND ${scopeCondition(scope, 'tenant_ars', undefined, params)}`,
      params,
    );
    return r && { caseId: r.case_id, tenantArs: r.tenant_ars };
  }

  async addTimeline(manager: EntityManager, caseId: string, eventType: string, summary: Record<string, unknown>): Promise<void> {
    await manager.query(
      `INSERT INTO intake.case_timeline (message_id, case_id, event_type, topic, summary, occurred_at) VALUES ($1, $2, $3, 'scan', $4, now())`,
      [randomUUID(), caseId, eventType, JSON.stringify(summary)],
    );
  }

  async enqueue(
    manager: EntityManager,
    item: {
      itemId: string;
      batchId: string;
      documentId: string;
      confidence: number;
      reasonCode: string;
      reason: string;
      candidates: unknown[];
      facts: unknown;
      textExcerpt: string;
    },
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO intake.scan_classification_queue (item_id, batch_id, document_id, status, confidence, reason_code, reason, candidates, facts, text_excerpt)
       VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9) ON CONFLICT (batch_id, document_id) DO NOTHING RETURNING item_id`,
      [
        item.itemId,
        item.batchId,
        item.documentId,
        item.confidence,
        item.reasonCode,
        item.reason,
        JSON.stringify(item.candidates),
        JSON.stringify(item.facts),
        item.textExcerpt,
      ],
    );
    return rows.length > 0;
  }
}
