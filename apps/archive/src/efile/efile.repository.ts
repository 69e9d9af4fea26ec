import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type RecordedFormat } from '../journal/verify-content';

export interface FileSettings {
  filePlanUnit: string;
  filePlanTitle: string;
  confidentiality: string;
  retentionYears: number | null;
  disposalClass: 'A' | 'B' | 'V';
}

export interface EFileRow extends FileSettings {
  fileId: string;
  caseId: string;
  fileReference: string;
  procedureId: string;
  tenantArs: string;
  subject: string;
  openedAt: Date;
  state: 'open' | 'closed' | 'offered' | 'handed-over';
  closedAt: Date | null;
  retentionEndsAt: Date | null;
  journalHead: string | null;
  journalLength: number;
  offerProcessId: string | null;
  appraisal: 'A' | 'V' | null;
}

export interface NewFormat {
  formatId: string;
  role: 'original' | 'rendition';
  mediaType: string;
  formatName: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
}

const FILE_COLUMNS = `file_id AS "fileId", case_id AS "caseId", file_reference AS "fileReference", procedure_id AS "procedureId",
  tenant_ars AS "tenantArs", subject, opened_at AS "openedAt", file_plan_unit AS "filePlanUnit", file_plan_title AS "filePlanTitle",
  confidentiality, retention_years AS "retentionYears", disposal_class AS "disposalClass", state, closed_at AS "closedAt",
  retention_ends_at AS "retentionEndsAt", journal_head AS "journalHead", journal_length AS "journalLength",
  offer_process_id AS "offerProcessId", appraisal`;

/** The e-file's tables: files (Akte), processes (Vorgang), documents, versions, formats, status history. */
@Injectable()
export class EFileRepository {
  async nextReferenceSeq(manager: EntityManager): Promise<number> {
    const [{ seq }] = await manager.query<[{ seq: number }]>(`SELECT nextval('archive.file_reference_seq')::int AS seq`);
    return seq;
  }

  async insertFile(
    manager: EntityManager,
    f: {
      fileId: string;
      caseId: string;
      fileReference: string;
      procedureId: string;
      tenantArs: string;
      subject: string;
      openedAt: string;
    } & FileSettings,
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO archive.e_files (file_id, case_id, file_reference, procedure_id, tenant_ars, subject, opened_at, file_plan_unit,
         file_plan_title, confidentiality, retention_years, disposal_class)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (case_id) DO NOTHING RETURNING file_id`,
      [
        f.fileId,
        f.caseId,
        f.fileReference,
        f.procedureId,
        f.tenantArs,
        f.subject,
        f.openedAt,
        f.filePlanUnit,
        f.filePlanTitle,
        f.confidentiality,
        f.retentionYears,
        f.disposalClass,
      ],
    );
    return rows.length === 1;
  }

  async fileOfCase(manager: EntityManager, caseId: string): Promise<EFileRow | undefined> {
    const [row] = await manager.query<EFileRow[]>(`SELECT ${FILE_COLUMNS} FROM archive.e_files WHERE case_id = $1`, [caseId]);
    return row;
  }

  /** Every e-file's case, oldest first (the verify CLI's `--all`). */
  async allCaseIds(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ case_id: string }[]>('SELECT case_id FROM archive.e_files ORDER BY opened_at');
    return rows.map((r) => r.case_id);
  }

  async file(manager: EntityManager, fileId: string): Promise<EFileRow | undefined> {
    const [row] = await manager.query<EFileRow[]>(`SELECT ${FILE_COLUMNS} FROM archive.e_files WHERE file_id = $1`, [fileId]);
    return row;
  }

  async insertProcess(
    manager: EntityManager,
    p: { processId: string; fileId: string; kind: string; title: string; openedAt: string },
  ): Promise<number> {
    const [{ seq }] = await manager.query<[{ seq: number }]>(
      `INSERT INTO archive.processes (process_id, file_id, seq, kind, title, opened_at)
       VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM archive.processes WHERE file_id = $2), $3, $4, $5) RETURNING seq`,
      [p.processId, p.fileId, p.kind, p.title, p.openedAt],
    );
    return seq;
  }

  async processOfKind(manager: EntityManager, fileId: string, kind: string): Promise<string | undefined> {
    const [row] = await manager.query<{ process_id: string }[]>(
      'SELECT process_id FROM archive.processes WHERE file_id = $1 AND kind = $2 ORDER BY seq LIMIT 1',
      [fileId, kind],
    );
    return row?.process_id;
  }

  async insertDocument(
    manager: EntityManager,
    d: {
      documentId: string;
      fileId: string;
      processId: string;
      kind: string;
      title: string;
      fileName: string;
      mediaType: string;
      sha512: string | null;
      blobRef: string | null;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO archive.documents (document_id, file_id, process_id, kind, seq, title, file_name, media_type, sha512, blob_ref)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(seq), 0) + 1 FROM archive.documents WHERE file_id = $2), $5, $6, $7, $8, $9)`,
      [d.documentId, d.fileId, d.processId, d.kind, d.title, d.fileName, d.mediaType, d.sha512, d.blobRef],
    );
  }

  async documentOfKind(manager: EntityManager, fileId: string, kind: string): Promise<string | undefined> {
    const [row] = await manager.query<{ document_id: string }[]>(
      'SELECT document_id FROM archive.documents WHERE file_id = $1 AND kind = $2 LIMIT 1',
      [fileId, kind],
    );
    return row?.document_id;
  }

  /** Inserts the next version of a document with its formats; returns the version number. */
  async insertVersion(
    manager: EntityManager,
    v: { versionId: string; documentId: string; createdAt: string; formats: NewFormat[] },
  ): Promise<number> {
    const [{ number }] = await manager.query<[{ number: number }]>(
      `INSERT INTO archive.versions (version_id, document_id, number, created_at)
       VALUES ($1, $2, (SELECT coalesce(max(number), 0) + 1 FROM archive.versions WHERE document_id = $2), $3) RETURNING number`,
      [v.versionId, v.documentId, v.createdAt],
    );
    for (const f of v.formats) await this.insertFormat(manager, v.versionId, v.createdAt, f);
    return number;
  }

  async insertFormat(manager: EntityManager, versionId: string, createdAt: string, f: NewFormat): Promise<void> {
    await manager.query(
      `INSERT INTO archive.formats (format_id, version_id, role, media_type, format_name, file_name, sha256, size_bytes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [f.formatId, versionId, f.role, f.mediaType, f.formatName, f.fileName, f.sha256, f.sizeBytes, createdAt],
    );
  }

  /** Every format of the file with its document and version: what verify and the export read. */
  async formats(
    manager: EntityManager,
    fileId: string,
  ): Promise<
    (RecordedFormat & {
      fileName: string;
      formatName: string;
      sizeBytes: number;
      createdAt: Date;
      processId: string | null;
      kind: string | null;
      versionId: string;
    })[]
  > {
    return manager.query(
      `SELECT f.format_id AS "formatId", d.document_id AS "documentId", d.title, v.number AS "versionNumber", v.version_id AS "versionId", f.role,
              f.media_type AS "mediaType", f.sha256, f.file_name AS "fileName", f.format_name AS "formatName", f.size_bytes::int AS "sizeBytes",
              f.created_at AS "createdAt", d.process_id AS "processId", d.kind
         FROM archive.formats f JOIN archive.versions v USING (version_id) JOIN archive.documents d USING (document_id)
        WHERE d.file_id = $1 ORDER BY d.seq, v.number, f.role, f.format_id`,
      [fileId],
    );
  }

  async processes(
    manager: EntityManager,
    fileId: string,
  ): Promise<{ processId: string; seq: number; kind: string; title: string; openedAt: Date }[]> {
    return manager.query(
      'SELECT process_id AS "processId", seq, kind, title, opened_at AS "openedAt" FROM archive.processes WHERE file_id = $1 ORDER BY seq',
      [fileId],
    );
  }

  async documents(
    manager: EntityManager,
    fileId: string,
  ): Promise<
    {
      documentId: string;
      processId: string | null;
      kind: string | null;
      title: string;
      fileName: string;
      mediaType: string;
      sha512: string | null;
      recordedAt: Date;
    }[]
  > {
    return manager.query(
      `SELECT document_id AS "documentId", process_id AS "processId", kind, title, file_name AS "fileName", media_type AS "mediaType", sha512,
              recorded_at AS "recordedAt" FROM archive.documents WHERE file_id = $1 ORDER BY seq NULLS FIRST, recorded_at`,
      [fileId],
    );
  }

  /** Records a status report once per message; false if it was recorded already. */
  async insertStatus(
    manager: EntityManager,
    s: { fileId: string; messageId: string; status: string; reportedBy: string; reportedAt: string },
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO archive.status_history (file_id, message_id, status, reported_by, reported_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [s.fileId, s.messageId, s.status, s.reportedBy, s.reportedAt],
    );
    return rows.length === 1;
  }

  async statusHistory(manager: EntityManager, fileId: string): Promise<{ status: string; reportedBy: string; reportedAt: Date }[]> {
    return manager.query(
      'SELECT status, reported_by AS "reportedBy", reported_at AS "reportedAt" FROM archive.status_history WHERE file_id = $1 ORDER BY reported_at, message_id',
      [fileId],
    );
  }

  async close(manager: EntityManager, fileId: string, closedAt: string): Promise<void> {
    await manager.query(
      `UPDATE archive.e_files SET state = 'closed', closed_at = $2,
              retention_ends_at = CASE WHEN retention_years IS NULL THEN NULL ELSE $2::timestamptz + make_interval(years => retention_years) END
        WHERE file_id = $1 AND state = 'open'`,
      [fileId, closedAt],
    );
  }

  async keepPending(manager: EntityManager, e: { messageId: string; caseId: string; kind: string; payload: unknown }): Promise<void> {
    await manager.query(
      'INSERT INTO archive.pending_events (message_id, case_id, kind, payload) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [e.messageId, e.caseId, e.kind, JSON.stringify(e.payload)],
    );
  }

  async takePending(manager: EntityManager, caseId: string): Promise<{ messageId: string; kind: string; payload: unknown }[]> {
    return manager.query(
      `WITH taken AS (DELETE FROM archive.pending_events WHERE case_id = $1 RETURNING message_id, kind, payload, received_at)
       SELECT message_id AS "messageId", kind, payload FROM taken ORDER BY received_at, message_id`,
      [caseId],
    );
  }
}
