import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CaseV1, type RoutingDecisionDto } from '@poststelle/contracts';
import { type ProcedureDemands } from './procedures.repository';

/** A case held with status ACTION_REQUIRED, with the decision it waits under and what its procedure demands. */
export interface HeldCase {
  procedureId: string;
  ruleId: string;
  ruleVersion: number;
  matchedPrefix: string;
  explanation: string;
  canonical: CaseV1;
  demands: Omit<ProcedureDemands, 'acceptedSchemas'>;
}

/** `routing.held_cases`: cases whose evidence does not meet their procedure's requirement yet. */
@Injectable()
export class HeldCasesRepository {
  async hold(m: EntityManager, kase: CaseV1, decision: RoutingDecisionDto, reasons: string[]): Promise<void> {
    await m.query(
      `INSERT INTO routing.held_cases (case_id, procedure_id, rule_id, rule_version, matched_prefix, explanation, reasons, canonical)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        kase.caseId,
        decision.procedureId,
        decision.ruleId,
        decision.ruleVersion,
        decision.matchedPrefix,
        decision.explanation,
        JSON.stringify(reasons),
        JSON.stringify(kase),
      ],
    );
  }

  /** The case if it is held (locked until commit), with its procedure's demands read in the same query. */
  async heldForUpdate(m: EntityManager, caseId: string): Promise<HeldCase | undefined> {
    const [row] = await m.query<(Omit<HeldCase, 'demands'> & HeldCase['demands'])[]>(
      `SELECT h.procedure_id AS "procedureId", h.rule_id AS "ruleId", h.rule_version AS "ruleVersion", h.matched_prefix AS "matchedPrefix",
              h.explanation, h.canonical, p.required_level_of_assurance AS "requiredLevelOfAssurance", p.written_form_required AS "writtenFormRequired"
         FROM routing.held_cases h JOIN routing.procedures p ON p.procedure_id = h.procedure_id
        WHERE h.case_id = $1 AND h.status = 'action-required' FOR UPDATE OF h`,
      [caseId],
    );
    if (!row) return undefined;
    const { requiredLevelOfAssurance, writtenFormRequired, ...held } = row;
    return { ...held, demands: { requiredLevelOfAssurance, writtenFormRequired } };
  }

  /** Still held: the case with the follow-up applied, and what is still missing. */
  async stillMissing(m: EntityManager, kase: CaseV1, reasons: string[]): Promise<void> {
    await m.query('UPDATE routing.held_cases SET canonical = $2, reasons = $3 WHERE case_id = $1', [
      kase.caseId,
      JSON.stringify(kase),
      JSON.stringify(reasons),
    ]);
  }

  async release(m: EntityManager, kase: CaseV1): Promise<void> {
    await m.query(`UPDATE routing.held_cases SET status = 'released', released_at = now(), canonical = $2 WHERE case_id = $1`, [
      kase.caseId,
      JSON.stringify(kase),
    ]);
  }
}
