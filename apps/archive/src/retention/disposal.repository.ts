import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface DisposalRun {
  runId: string;
  trigger: string;
  actor: string;
  state: 'running' | 'finished' | 'failed';
  due: number;
  processed: number;
  deleted: number;
  offered: number;
  held: number;
  offerProcessId: string | null;
  detail: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const RUN_COLUMNS = `run_id AS "runId", trigger, actor, state, due, processed, deleted, offered, held, offer_process_id AS "offerProcessId",
  detail, started_at AS "startedAt", finished_at AS "finishedAt"`;

/** Disposal runs, offers, and the deletion of a file (the one path past the journal's append-only trigger). */
@Injectable()
export class DisposalRepository {
  async startRun(manager: EntityManager, r: { runId: string; trigger: string; actor: string }): Promise<void> {
    await manager.query('INSERT INTO archive.disposal_runs (run_id, trigger, actor) VALUES ($1, $2, $3)', [r.runId, r.trigger, r.actor]);
  }

  async run(manager: EntityManager, runId: string): Promise<DisposalRun | undefined> {
    const [row] = await manager.query<DisposalRun[]>(`SELECT ${RUN_COLUMNS} FROM archive.disposal_runs WHERE run_id = $1`, [runId]);
    return row;
  }

  async progress(
    manager: EntityManager,
    runId: string,
    p: Partial<Pick<DisposalRun, 'due' | 'processed' | 'deleted' | 'offered' | 'held' | 'offerProcessId' | 'state' | 'detail'>>,
  ): Promise<void> {
    await manager.query(
      `UPDATE archive.disposal_runs SET due = coalesce($2, due), processed = coalesce($3, processed), deleted = coalesce($4, deleted),
              offered = coalesce($5, offered), held = coalesce($6, held), offer_process_id = coalesce($7, offer_process_id),
              state = coalesce($8, state), detail = coalesce($9, detail),
              finished_at = CASE WHEN $8 IN ('finished', 'failed') THEN now() ELSE finished_at END
        WHERE run_id = $1`,
      [
        runId,
        p.due ?? null,
        p.processed ?? null,
        p.deleted ?? null,
        p.offered ?? null,
        p.held ?? null,
        p.offerProcessId ?? null,
        p.state ?? null,
        p.detail ?? null,
      ],
    );
  }

  /** Files whose retention has ended (closed, end date passed), and how many of them a legal hold keeps. */
  async due(manager: EntityManager, now: Date): Promise<{ files: { fileId: string; disposalClass: 'A' | 'B' | 'V' }[]; held: number }> {
    const rows = await manager.query<{ fileId: string; disposalClass: 'A' | 'B' | 'V'; held: boolean }[]>(
      `SELECT f.file_id AS "fileId", f.disposal_class AS "disposalClass",
              EXISTS (SELECT 1 FROM archive.legal_holds h WHERE h.file_id = f.file_id AND h.lifted_at IS NULL) AS held
         FROM archive.e_files f
        WHERE f.state = 'closed' AND f.retention_ends_at IS NOT NULL AND f.retention_ends_at <= $1 ORDER BY f.retention_ends_at`,
      [now],
    );
    return { files: rows.filter((r) => !r.held), held: rows.filter((r) => r.held).length };
  }

  /** Locks a file for disposal and re-checks, inside the transaction, that it is still due and not held. */
  async lockDue(manager: EntityManager, fileId: string, now: Date, states: string[]): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT file_id FROM archive.e_files f WHERE file_id = $1 AND state = ANY($3) AND retention_ends_at IS NOT NULL AND retention_ends_at <= $2
          AND NOT EXISTS (SELECT 1 FROM archive.legal_holds h WHERE h.file_id = f.file_id AND h.lifted_at IS NULL)
        FOR UPDATE SKIP LOCKED`,
      [fileId, now, states],
    );
    return rows.length === 1;
  }

  async createOffer(manager: EntityManager, processId: string, runId: string): Promise<void> {
    await manager.query('INSERT INTO archive.disposal_offers (process_id, run_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      processId,
      runId,
    ]);
  }

  async offer(manager: EntityManager, processId: string): Promise<{ processId: string; state: string; createdAt: Date } | undefined> {
    const [row] = await manager.query<{ processId: string; state: string; createdAt: Date }[]>(
      'SELECT process_id AS "processId", state, created_at AS "createdAt" FROM archive.disposal_offers WHERE process_id = $1 FOR UPDATE',
      [processId],
    );
    return row;
  }

  async setOfferState(manager: EntityManager, processId: string, state: 'appraised' | 'closed'): Promise<void> {
    await manager.query(
      `UPDATE archive.disposal_offers SET state = $2, closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END WHERE process_id = $1`,
      [processId, state],
    );
  }

  async markOffered(manager: EntityManager, fileId: string, processId: string): Promise<void> {
    await manager.query(`UPDATE archive.e_files SET state = 'offered', offer_process_id = $2 WHERE file_id = $1`, [fileId, processId]);
  }

  async offeredFiles(
    manager: EntityManager,
    processId: string,
  ): Promise<{ fileId: string; caseId: string; appraisal: 'A' | 'V' | null }[]> {
    return manager.query(
      `SELECT file_id AS "fileId", case_id AS "caseId", appraisal FROM archive.e_files WHERE offer_process_id = $1 AND state = 'offered' ORDER BY file_id FOR UPDATE`,
      [processId],
    );
  }

  async appraise(manager: EntityManager, fileId: string, processId: string, appraisal: 'A' | 'V'): Promise<boolean> {
    // TypeORM answers UPDATE with [rows, affected].
    const [, affected] = await manager.query<[unknown[], number]>(
      `UPDATE archive.e_files SET appraisal = $3 WHERE file_id = $1 AND offer_process_id = $2 AND state = 'offered'`,
      [fileId, processId, appraisal],
    );
    return affected === 1;
  }

  async returnToClosed(manager: EntityManager, fileId: string): Promise<void> {
    await manager.query(`UPDATE archive.e_files SET state = 'closed', offer_process_id = NULL, appraisal = NULL WHERE file_id = $1`, [
      fileId,
    ]);
  }

  /**
   * Deletes a file and everything in it, leaving the deletion record: ids, dates, class, actor and the content hashes,
   * but no title, file name, subject, form data, name or address. Only here is the journal's trigger passed (the
   * transaction-local `archive.disposal_run` setting). Returns the SHA-256 of the content the file referenced.
   */
  async deleteFile(
    manager: EntityManager,
    d: { recordId: string; fileId: string; reason: string; actor: string; runId: string | null },
  ): Promise<string[]> {
    const hashes = await manager.query<
      { documentId: string; version: number; role: string; mediaType: string; sha256: string; sizeBytes: number }[]
    >(
      `SELECT d.document_id AS "documentId", v.number AS version, f.role, f.media_type AS "mediaType", f.sha256, f.size_bytes::int AS "sizeBytes"
         FROM archive.formats f JOIN archive.versions v USING (version_id) JOIN archive.documents d USING (document_id)
        WHERE d.file_id = $1 ORDER BY d.seq, v.number, f.role`,
      [d.fileId],
    );
    await manager.query(
      `INSERT INTO archive.deletion_records (record_id, file_id, case_id, file_reference, procedure_id, tenant_ars, disposal_class, reason, opened_at,
         closed_at, retention_ends_at, actor, run_id, offer_process_id, journal_head, journal_length, content_hashes)
       SELECT $2, file_id, case_id, file_reference, procedure_id, tenant_ars, disposal_class, $3, opened_at, closed_at, retention_ends_at, $4, $5,
              offer_process_id, journal_head, journal_length, $6 FROM archive.e_files WHERE file_id = $1`,
      [d.fileId, d.recordId, d.reason, d.actor, d.runId, JSON.stringify(hashes)],
    );
    await manager.query(`SELECT set_config('archive.disposal_run', $1, true)`, [d.runId ?? d.recordId]);
    await manager.query('DELETE FROM archive.journal WHERE file_id = $1', [d.fileId]);
    await manager.query(`SELECT set_config('archive.disposal_run', '', true)`);
    await manager.query(
      `DELETE FROM archive.rendition_queue WHERE version_id IN (SELECT v.version_id FROM archive.versions v JOIN archive.documents d USING (document_id) WHERE d.file_id = $1)`,
      [d.fileId],
    );
    await manager.query(
      `DELETE FROM archive.formats WHERE version_id IN (SELECT v.version_id FROM archive.versions v JOIN archive.documents d USING (document_id) WHERE d.file_id = $1)`,
      [d.fileId],
    );
    await manager.query(
      'DELETE FROM archive.versions WHERE document_id IN (SELECT document_id FROM archive.documents WHERE file_id = $1)',
      [d.fileId],
    );
    for (const table of ['documents', 'processes', 'status_history', 'legal_holds', 'history']) {
      await manager.query(`DELETE FROM archive.${table} WHERE file_id = $1`, [d.fileId]);
    }
    await manager.query('DELETE FROM archive.e_files WHERE file_id = $1', [d.fileId]);
    return [...new Set(hashes.map((h) => h.sha256))];
  }

  /** Of the given hashes, those no remaining format references (their bytes may go). */
  async unreferenced(manager: EntityManager, sha256s: string[]): Promise<string[]> {
    if (sha256s.length === 0) return [];
    const rows = await manager.query<{ sha256: string }[]>('SELECT DISTINCT sha256 FROM archive.formats WHERE sha256 = ANY($1)', [sha256s]);
    const still = new Set(rows.map((r) => r.sha256));
    return sha256s.filter((s) => !still.has(s));
  }

  async deletionRecord(manager: EntityManager, caseId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await manager.query<Record<string, unknown>[]>(
      `SELECT record_id AS "recordId", file_id AS "fileId", case_id AS "caseId", file_reference AS "fileReference", procedure_id AS "procedureId",
              tenant_ars AS "tenantArs", disposal_class AS "disposalClass", reason, opened_at AS "openedAt", closed_at AS "closedAt",
              retention_ends_at AS "retentionEndsAt", deleted_at AS "deletedAt", actor, run_id AS "runId", offer_process_id AS "offerProcessId",
              journal_head AS "journalHead", journal_length AS "journalLength", content_hashes AS "contentHashes"
         FROM archive.deletion_records WHERE case_id = $1`,
      [caseId],
    );
    return row;
  }
}
