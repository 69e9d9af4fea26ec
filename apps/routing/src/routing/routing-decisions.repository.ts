import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CaseV1, type ManualRoutingRequiredV1, type ReplyChannelDto, type RoutingDecisionDto } from '@poststelle/contracts';

/** What a status report needs to know of the case: who handles it, how the applicant is answered, its tenant. */
export interface DecisionForStatus {
  procedureId: string | null;
  replyChannel: ReplyChannelDto | null;
  tenantArs: string;
}

/**
 * `routing.routing_decisions` (one row per case: where it went and why), `routing.manual_routing_queue` (cases a
 * clerk must route) and `routing.bundle_members` (the sub-cases of a life-event application).
 */
@Injectable()
export class RoutingDecisionsRepository {
  async addBundleMember(m: EntityManager, kase: CaseV1): Promise<void> {
    if (!kase.bundle) return;
    await m.query(
      `INSERT INTO routing.bundle_members (case_id, bundle_id, life_event, size, position, leika_key) VALUES ($1, $2, $3, $4, $5, $6)`,
      [kase.caseId, kase.bundle.bundleId, kase.bundle.lifeEvent, kase.bundle.size, kase.bundle.position, kase.service.leikaKey],
    );
  }

  /** Nobody could be made responsible: the decision says so and the case waits in the manual-routing queue. */
  async queueForClerk(
    m: EntityManager,
    kase: CaseV1,
    item: { itemId: string; reasonCode: ManualRoutingRequiredV1['reasonCode']; reason: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO routing.routing_decisions (case_id, tenant_ars, leika_key, outcome, explanation) VALUES ($1, $2, $3, 'manual', $4)`,
      [kase.caseId, kase.tenant.ars, kase.service.leikaKey, item.reason],
    );
    await m.query(
      `INSERT INTO routing.manual_routing_queue (item_id, case_id, reason_code, reason, canonical) VALUES ($1, $2, $3, $4, $5)`,
      [item.itemId, kase.caseId, item.reasonCode, item.reason, JSON.stringify(kase)],
    );
  }

  /**
   * The one place a case's decision for a procedure is written: routed, or held until evidence arrives. A later
   * decision (a clerk's, a release) replaces an earlier one.
   */
  async decide(
    m: EntityManager,
    kase: CaseV1,
    outcome: 'routed' | 'action-required',
    decision: RoutingDecisionDto,
    explanation: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO routing.routing_decisions
         (case_id, tenant_ars, leika_key, outcome, procedure_id, rule_id, rule_version, matched_prefix, explanation, reply_channel)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (case_id) DO UPDATE SET outcome = $4, procedure_id = $5, rule_id = $6, rule_version = $7,
         matched_prefix = $8, explanation = $9, reply_channel = $10, decided_at = now()`,
      [
        kase.caseId,
        kase.tenant.ars,
        kase.service.leikaKey,
        outcome,
        decision.procedureId,
        decision.ruleId,
        decision.ruleVersion,
        decision.matchedPrefix,
        explanation,
        JSON.stringify(kase.replyChannel),
      ],
    );
  }

  async forStatus(m: EntityManager, caseId: string): Promise<DecisionForStatus | undefined> {
    const [row] = await m.query<DecisionForStatus[]>(
      `SELECT procedure_id AS "procedureId", reply_channel AS "replyChannel", tenant_ars AS "tenantArs"
         FROM routing.routing_decisions WHERE case_id = $1`,
      [caseId],
    );
    return row;
  }
}
