import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface RenditionTask {
  versionId: string;
  attempts: number;
  fileId: string;
  documentId: string;
  sha256: string;
  mediaType: string;
  fileName: string;
}

/** `archive.rendition_queue`: versions waiting for their PDF/A rendition. */
@Injectable()
export class RenditionRepository {
  async enqueue(manager: EntityManager, versionId: string): Promise<void> {
    await manager.query('INSERT INTO archive.rendition_queue (version_id) VALUES ($1) ON CONFLICT DO NOTHING', [versionId]);
  }

  /** Claims one pending task (claims expire after `claimSeconds`, so a crashed worker's task is taken up again). */
  async claim(manager: EntityManager, claimSeconds: number): Promise<RenditionTask | undefined> {
    const [row] = await manager.query<RenditionTask[]>(
      `WITH task AS (
         UPDATE archive.rendition_queue SET attempts = attempts + 1, claimed_at = now()
          WHERE version_id = (SELECT version_id FROM archive.rendition_queue
                               WHERE state = 'pending' AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $1))
                               ORDER BY queued_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING version_id, attempts)
       SELECT t.version_id AS "versionId", t.attempts, d.file_id AS "fileId", d.document_id AS "documentId", f.sha256, f.media_type AS "mediaType",
              f.file_name AS "fileName"
         FROM task t JOIN archive.versions v USING (version_id) JOIN archive.documents d USING (document_id)
         JOIN archive.formats f ON f.version_id = t.version_id AND f.role = 'original'`,
      [claimSeconds],
    );
    return row;
  }

  async finish(manager: EntityManager, versionId: string, state: 'done' | 'failed' | 'pending', detail?: string): Promise<void> {
    await manager.query('UPDATE archive.rendition_queue SET state = $2, detail = $3 WHERE version_id = $1', [
      versionId,
      state,
      detail ?? null,
    ]);
  }

  async states(manager: EntityManager, fileId: string): Promise<{ versionId: string; state: string; detail: string | null }[]> {
    return manager.query(
      `SELECT q.version_id AS "versionId", q.state, q.detail FROM archive.rendition_queue q
         JOIN archive.versions v USING (version_id) JOIN archive.documents d USING (document_id) WHERE d.file_id = $1`,
      [fileId],
    );
  }
}
