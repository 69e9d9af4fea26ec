import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type FieldError } from '@poststelle/contracts';
import { scopeCondition, type ReadScope } from '../access';
import { sha512Hex } from '../hashing';
import { type IntakeError } from '../intake.exception';

export interface Rejection {
  source: 'http' | 'kafka';
  reasonCode: string;
  errors: FieldError[];
  original: Buffer | undefined;
  /** When the original bytes are already kept in the blob store: their sha512 (the row then references them). */
  originalBlobSha512?: string;
  /** The client that sent it (token client id, or `kafka-adapter`): it may read the rejection back. */
  submittedBy?: string;
}

/** Every rejected input is kept with its reason, so nothing that arrived is lost. */
@Injectable()
export class RejectedInputsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a typed input refusal for an HTTP request and returns the same refusal with its `rejectionId`, for the
   * caller to throw: the original is kept and the client can quote the id.
   */
  async refuse(error: IntakeError, original: Buffer | undefined, submittedBy?: string): Promise<IntakeError> {
    const errors = (error.extensions['errors'] as FieldError[] | undefined) ?? [];
    const rejectionId = await this.record({
      source: 'http',
      reasonCode: error.code,
      errors,
      original,
      ...(submittedBy ? { submittedBy } : {}),
    });
    return error.with({ rejectionId });
  }

  async record(rejection: Rejection, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `INSERT INTO intake.rejected_inputs (rejection_id, source, reason_code, errors, original, original_sha512, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        rejection.source,
        rejection.reasonCode,
        JSON.stringify(rejection.errors),
        rejection.original ?? null,
        rejection.original ? sha512Hex(rejection.original) : (rejection.originalBlobSha512 ?? null),
        rejection.submittedBy ?? null,
      ],
    );
    return id;
  }

  /**
   * A rejected input names no tenant anyone can trust: it is visible to platform-admin and to the client that sent
   * it, to nobody else (ADR 0016).
   */
  async find(
    id: string,
    scope: ReadScope,
  ): Promise<
    | { rejectionId: string; source: string; reasonCode: string; errors: FieldError[]; originalSha512: string | null; receivedAt: Date }
    | undefined
  > {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query<
      {
        rejection_id: string;
        source: string;
        reason_code: string;
        errors: FieldError[];
        original_sha512: string | null;
        received_at: Date;
      }[]
    >(
      `SELECT rejection_id, source, reason_code, errors, original_sha512, received_at FROM intake.rejected_inputs
        WHERE rejection_id = $1 AND ${scopeCondition(scope, 'NULL::text', 'submitted_by', params)}`,
      params,
    );
    return (
      row && {
        rejectionId: row.rejection_id,
        source: row.source,
        reasonCode: row.reason_code,
        errors: row.errors,
        originalSha512: row.original_sha512,
        receivedAt: row.received_at,
      }
    );
  }
}
