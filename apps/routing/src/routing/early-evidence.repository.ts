import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CaseEvidenceAddedV1 } from '@poststelle/contracts';

/** `routing.early_evidence`: follow-up evidence that arrived before its case was held, until the hold applies it. */
@Injectable()
export class EarlyEvidenceRepository {
  /**
   * Serialises the hold decision and the arrival of evidence for one case (transaction-scoped advisory lock): without
   * it, evidence could be kept as early while a concurrent transaction holds the case without seeing it.
   */
  async lockCase(manager: EntityManager, caseId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('routing.case-evidence:' || $1, 0))`, [caseId]);
  }

  /** Keeps evidence for a case that is not held (yet); a redelivered message is kept once. */
  async keep(manager: EntityManager, messageId: string, evidence: CaseEvidenceAddedV1): Promise<void> {
    await manager.query(
      'INSERT INTO routing.early_evidence (message_id, case_id, evidence) VALUES ($1, $2, $3) ON CONFLICT (message_id) DO NOTHING',
      [messageId, evidence.caseId, JSON.stringify(evidence)],
    );
  }

  /** The case's evidence not applied yet, oldest first, marked applied in the same transaction. */
  async takePending(manager: EntityManager, caseId: string): Promise<CaseEvidenceAddedV1[]> {
    const rows = await manager.query<{ evidence: CaseEvidenceAddedV1 }[]>(
      `WITH taken AS (
         UPDATE routing.early_evidence SET applied_at = now() WHERE case_id = $1 AND applied_at IS NULL RETURNING evidence, received_at, message_id)
       SELECT evidence FROM taken ORDER BY received_at, message_id`,
      [caseId],
    );
    return rows.map((r) => r.evidence);
  }
}
