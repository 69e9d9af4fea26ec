import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CaseV1 } from '@poststelle/contracts';

export interface SubmissionRow {
  submissionId: string;
  idempotencyKey: string;
  requestSha512: string;
  channel: string;
  caseId: string;
  /** The body as received (kept as the original). */
  original: unknown;
  submittedBy: string;
}

/** The accepted submissions and their cases (`intake.submissions`, `intake.cases`); inside the caller's transaction. */
@Injectable()
export class SubmissionsRepository {
  /** Inserts the submission unless its idempotency key is taken; true when inserted. */
  async insertSubmission(manager: EntityManager, row: SubmissionRow): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO intake.submissions (submission_id, idempotency_key, request_sha512, channel, case_id, original, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING submission_id`,
      [row.submissionId, row.idempotencyKey, row.requestSha512, row.channel, row.caseId, JSON.stringify(row.original), row.submittedBy],
    );
    return inserted.length > 0;
  }

  async findByIdempotencyKey(
    manager: EntityManager,
    idempotencyKey: string,
  ): Promise<{ submissionId: string; caseId: string; requestSha512: string } | undefined> {
    const [row] = await manager.query<{ submission_id: string; case_id: string; request_sha512: string }[]>(
      'SELECT submission_id, case_id, request_sha512 FROM intake.submissions WHERE idempotency_key = $1',
      [idempotencyKey],
    );
    return row && { submissionId: row.submission_id, caseId: row.case_id, requestSha512: row.request_sha512 };
  }

  /** The earliest case with the same duplicate fingerprint received within the window, if any. */
  async earlierCaseWithFingerprint(manager: EntityManager, fingerprint: string, windowHours: number): Promise<string | undefined> {
    const [earlier] = await manager.query<{ case_id: string }[]>(
      `SELECT case_id FROM intake.cases WHERE duplicate_fingerprint = $1 AND received_at > now() - make_interval(hours => $2)
        ORDER BY received_at LIMIT 1`,
      [fingerprint, windowHours],
    );
    return earlier?.case_id;
  }

  async insertCase(
    manager: EntityManager,
    kase: { caseId: string; submissionId: string; canonical: CaseV1; receivedAt: Date; fingerprint: string | undefined },
  ): Promise<void> {
    const { canonical } = kase;
    await manager.query(
      `INSERT INTO intake.cases (case_id, submission_id, tenant_ars, leika_key, channel, canonical, received_at, duplicate_fingerprint)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        kase.caseId,
        kase.submissionId,
        canonical.tenant.ars,
        canonical.service.leikaKey,
        canonical.channel.kind,
        JSON.stringify(canonical),
        kase.receivedAt,
        kase.fingerprint ?? null,
      ],
    );
  }
}
