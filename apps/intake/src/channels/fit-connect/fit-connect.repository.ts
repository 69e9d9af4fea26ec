import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ReadScope, scopeCondition, UNSCOPED } from '../../core';

export type FitStatus = 'incomplete' | 'submitted' | 'accepted' | 'rejected';

export interface FitSubmissionRow {
  submissionId: string;
  status: FitStatus;
  metadataVersion: string;
  announced: {
    tenantArs: string;
    metadata: unknown;
    applicant?: unknown;
    levelOfAssurance?: string;
    portalId?: string;
    authenticationMethod?: string;
  };
  metadataSha512: string;
  caseId: string | null;
}

@Injectable()
export class FitConnectRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(row: Omit<FitSubmissionRow, 'status' | 'caseId'> & { submittedBy: string }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO intake.fit_submissions (submission_id, status, metadata_version, announced, metadata, metadata_sha512, submitted_by)
       VALUES ($1, 'incomplete', $2, $3, $4, $5, $6)`,
      [
        row.submissionId,
        row.metadataVersion,
        JSON.stringify(row.announced),
        JSON.stringify(row.announced.metadata),
        row.metadataSha512,
        row.submittedBy,
      ],
    );
    await this.event(row.submissionId, 'created', {});
  }

  /** The submission if visible in the scope: its destination tenant (`tenantArs`) or the client that announced it. */
  async find(submissionId: string, scope: ReadScope = UNSCOPED): Promise<FitSubmissionRow | undefined> {
    const params: unknown[] = [submissionId];
    const [r] = await this.dataSource.query<
      {
        submission_id: string;
        status: FitStatus;
        metadata_version: string;
        announced: FitSubmissionRow['announced'];
        metadata_sha512: string;
        case_id: string | null;
      }[]
    >(
      `SELECT * FROM intake.fit_submissions
        WHERE submission_id = $1 AND ${scopeCondition(scope, "announced->>'tenantArs'", 'submitted_by', params)}`,
      params,
    );
    return (
      r && {
        submissionId: r.submission_id,
        status: r.status,
        metadataVersion: r.metadata_version,
        announced: r.announced,
        metadataSha512: r.metadata_sha512,
        caseId: r.case_id,
      }
    );
  }

  async setStatus(submissionId: string, status: FitStatus, caseId?: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE intake.fit_submissions SET status = $2, case_id = COALESCE($3, case_id), updated_at = now() WHERE submission_id = $1',
      [submissionId, status, caseId ?? null],
    );
  }

  async recordAttachment(submissionId: string, attachmentId: string, sha512: string, sizeBytes: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO intake.fit_attachments (submission_id, attachment_id, sha512, size_bytes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (submission_id, attachment_id) DO UPDATE SET sha512 = $3, size_bytes = $4, uploaded_at = now()`,
      [submissionId, attachmentId, sha512, sizeBytes],
    );
  }

  /** Bytes uploaded so far for the submission, not counting `exceptAttachmentId` (about to be replaced). */
  async uploadedBytes(submissionId: string, exceptAttachmentId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ total: string | null }[]>(
      'SELECT SUM(size_bytes) AS total FROM intake.fit_attachments WHERE submission_id = $1 AND attachment_id <> $2',
      [submissionId, exceptAttachmentId],
    );
    return Number(row?.total ?? 0);
  }

  async attachments(submissionId: string): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<{ attachment_id: string; sha512: string }[]>(
      'SELECT attachment_id, sha512 FROM intake.fit_attachments WHERE submission_id = $1',
      [submissionId],
    );
    return new Map(rows.map((r) => [r.attachment_id, r.sha512]));
  }

  async event(submissionId: string, type: string, detail: Record<string, unknown>): Promise<void> {
    await this.dataSource.query('INSERT INTO intake.fit_events (event_id, submission_id, event_type, detail) VALUES ($1, $2, $3, $4)', [
      randomUUID(),
      submissionId,
      type,
      JSON.stringify(detail),
    ]);
  }

  async events(submissionId: string): Promise<{ type: string; detail: Record<string, unknown>; occurredAt: Date }[]> {
    const rows = await this.dataSource.query<{ event_type: string; detail: Record<string, unknown>; occurred_at: Date }[]>(
      'SELECT event_type, detail, occurred_at FROM intake.fit_events WHERE submission_id = $1 ORDER BY occurred_at, event_type',
      [submissionId],
    );
    return rows.map((r) => ({ type: r.event_type, detail: r.detail, occurredAt: r.occurred_at }));
  }
}
