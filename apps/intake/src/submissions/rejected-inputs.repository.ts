import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type FieldError } from '@poststelle/contracts';
import { sha512Hex } from './accept-submission.use-case';
import { IntakeException } from './intake.exception';

export interface Rejection {
  source: 'http' | 'kafka';
  reasonCode: string;
  errors: FieldError[];
  original: Buffer | undefined;
  /** When the original bytes are already kept in the blob store: their sha512 (the row then references them). */
  originalBlobSha512?: string;
}

/** Every rejected input is kept with its reason, so nothing that arrived is lost. */
@Injectable()
export class RejectedInputsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a typed input refusal for an HTTP request and returns the same refusal with its `rejectionId`, for the
   * caller to throw: the original is kept and the client can quote the id.
   */
  async refuse(error: IntakeException, original: Buffer | undefined): Promise<IntakeException> {
    const errors = (error.extensions['errors'] as FieldError[] | undefined) ?? [];
    const rejectionId = await this.record({ source: 'http', reasonCode: error.code, errors, original });
    return new IntakeException(error.code, error.message, { ...error.extensions, rejectionId });
  }

  async record(rejection: Rejection, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `INSERT INTO intake.rejected_inputs (rejection_id, source, reason_code, errors, original, original_sha512) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        rejection.source,
        rejection.reasonCode,
        JSON.stringify(rejection.errors),
        rejection.original ?? null,
        rejection.original ? sha512Hex(rejection.original) : (rejection.originalBlobSha512 ?? null),
      ],
    );
    return id;
  }

  async find(
    id: string,
  ): Promise<
    | { rejectionId: string; source: string; reasonCode: string; errors: FieldError[]; originalSha512: string | null; receivedAt: Date }
    | undefined
  > {
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
      'SELECT rejection_id, source, reason_code, errors, original_sha512, received_at FROM intake.rejected_inputs WHERE rejection_id = $1',
      [id],
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
