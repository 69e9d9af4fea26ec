import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface LegalHold {
  holdId: string;
  reason: string;
  setBy: string;
  setAt: Date;
  liftedBy: string | null;
  liftedAt: Date | null;
  liftReason: string | null;
}

/** `archive.legal_holds`: a hold suspends the file's disposal until it is lifted. */
@Injectable()
export class LegalHoldRepository {
  async set(manager: EntityManager, h: { holdId: string; fileId: string; reason: string; setBy: string }): Promise<void> {
    await manager.query('INSERT INTO archive.legal_holds (hold_id, file_id, reason, set_by) VALUES ($1, $2, $3, $4)', [
      h.holdId,
      h.fileId,
      h.reason,
      h.setBy,
    ]);
  }

  /** Lifts an active hold; false when there is none with that id on the file. */
  async lift(manager: EntityManager, h: { holdId: string; fileId: string; reason: string; liftedBy: string }): Promise<boolean> {
    // TypeORM answers UPDATE with [rows, affected].
    const [, affected] = await manager.query<[unknown[], number]>(
      `UPDATE archive.legal_holds SET lifted_by = $4, lifted_at = now(), lift_reason = $3
        WHERE hold_id = $1 AND file_id = $2 AND lifted_at IS NULL`,
      [h.holdId, h.fileId, h.reason, h.liftedBy],
    );
    return affected === 1;
  }

  async ofFile(manager: EntityManager, fileId: string): Promise<LegalHold[]> {
    return manager.query(
      `SELECT hold_id AS "holdId", reason, set_by AS "setBy", set_at AS "setAt", lifted_by AS "liftedBy", lifted_at AS "liftedAt",
              lift_reason AS "liftReason" FROM archive.legal_holds WHERE file_id = $1 ORDER BY set_at`,
      [fileId],
    );
  }
}
