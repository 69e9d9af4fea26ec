import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { arsPrefixes, type CaseV1, type FeeScheduleChangedV1, type RoutingDecisionDto } from '@poststelle/contracts';
import { Logger } from '@poststelle/telemetry';
import { RecordStatusUseCase } from '../status/record-status.use-case';

/** `open`: fee known, unpaid, case not held; `held`: waiting for payment; `booked`: paid before routing; `released`. */
export type GateState = 'open' | 'held' | 'booked' | 'released';

/**
 * Holds a case whose fee is `mandatory-before-processing` until payment reports it BOOKED. Routing knows the policy
 * from its own copy of the fee schedule (`payments.fee-schedule.v1`) and the payment state from
 * `payments.events.v1`: coordination by events, no table shared with payment.
 */
@Injectable()
export class PaymentGate {
  private readonly log = new Logger('PaymentGate');

  constructor(private readonly recordStatus: RecordStatusUseCase) {}

  /** True when the case was held (or is already held) for payment instead of being published. */
  async holds(manager: EntityManager, kase: CaseV1, decision: RoutingDecisionDto): Promise<boolean> {
    if (!(await this.gated(manager, kase))) return false;
    const [gate] = await manager.query<{ state: GateState; kassenzeichen: string | null; amount: string | null }[]>(
      'SELECT state, kassenzeichen, amount FROM routing.payment_gates WHERE case_id = $1 FOR UPDATE',
      [kase.caseId],
    );
    if (gate?.state === 'booked' || gate?.state === 'released') return false;
    await manager.query(
      `INSERT INTO routing.routing_decisions
         (case_id, tenant_ars, leika_key, outcome, procedure_id, rule_id, rule_version, matched_prefix, explanation, reply_channel)
       VALUES ($1, $2, $3, 'action-required', $4, $5, $6, $7, $8, $9)
       ON CONFLICT (case_id) DO UPDATE SET outcome = 'action-required', procedure_id = $4, rule_id = $5, rule_version = $6,
         matched_prefix = $7, explanation = $8, reply_channel = $9, decided_at = now()`,
      [
        kase.caseId,
        kase.tenant.ars,
        kase.service.leikaKey,
        decision.procedureId,
        decision.ruleId,
        decision.ruleVersion,
        decision.matchedPrefix,
        `${decision.explanation}; held until its fee (mandatory before processing) is paid`,
        JSON.stringify(kase.replyChannel),
      ],
    );
    await manager.query(
      `INSERT INTO routing.payment_gates (case_id, state, canonical, decision) VALUES ($1, 'held', $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET state = 'held', canonical = $2, decision = $3, updated_at = now()`,
      [kase.caseId, JSON.stringify(kase), JSON.stringify(decision)],
    );
    const kz = gate?.kassenzeichen ? ` with Kassenzeichen ${gate.kassenzeichen}` : '';
    const amount = gate?.amount ? ` of ${gate.amount} EUR` : '';
    await this.status(
      manager,
      kase,
      decision.procedureId,
      `Payment pending: the fee${amount} must be paid${kz} before your application is processed.`,
    );
    this.log.info('case held until its fee is paid', { caseId: kase.caseId, procedureId: decision.procedureId });
    return true;
  }

  async recordPolicy(manager: EntityManager, e: FeeScheduleChangedV1): Promise<void> {
    await manager.query(
      `INSERT INTO routing.payment_gate_policies (leika_key, ars_prefix, version, policy, valid_from) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [e.leikaKey, e.arsPrefix, e.version, e.policy, e.validFrom],
    );
  }

  /** Remembers the fee's Kassenzeichen and amount; returns the gate's state (`held`: tell the applicant how to pay). */
  async noteFee(manager: EntityManager, caseId: string, kassenzeichen: string | undefined, amount: string): Promise<string> {
    const [row] = await manager.query<{ state: string }[]>(
      `INSERT INTO routing.payment_gates (case_id, state, kassenzeichen, amount) VALUES ($1, 'open', $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET kassenzeichen = $2, amount = $3, updated_at = now() RETURNING state`,
      [caseId, kassenzeichen ?? null, amount],
    );
    return row!.state;
  }

  /** Marks the case's payment as booked; returns the held case and decision when it was waiting. */
  async book(manager: EntityManager, caseId: string): Promise<{ kase: CaseV1; decision: RoutingDecisionDto } | undefined> {
    const [gate] = await manager.query<{ state: string; canonical: CaseV1 | null; decision: RoutingDecisionDto | null }[]>(
      'SELECT state, canonical, decision FROM routing.payment_gates WHERE case_id = $1 FOR UPDATE',
      [caseId],
    );
    if (!gate) {
      await manager.query(`INSERT INTO routing.payment_gates (case_id, state) VALUES ($1, 'booked')`, [caseId]);
      return undefined;
    }
    if (gate.state === 'released' || gate.state === 'booked') return undefined;
    await manager.query(`UPDATE routing.payment_gates SET state = $2, updated_at = now() WHERE case_id = $1`, [
      caseId,
      gate.state === 'held' ? 'released' : 'booked',
    ]);
    return gate.state === 'held' && gate.canonical && gate.decision ? { kase: gate.canonical, decision: gate.decision } : undefined;
  }

  /** The held or released case, to tell applicant and caseworker about a failed, cancelled or returned payment. */
  async caseOf(manager: EntityManager, caseId: string): Promise<{ kase: CaseV1; decision: RoutingDecisionDto; state: string } | undefined> {
    const [gate] = await manager.query<{ state: string; canonical: CaseV1 | null; decision: RoutingDecisionDto | null }[]>(
      'SELECT state, canonical, decision FROM routing.payment_gates WHERE case_id = $1',
      [caseId],
    );
    return gate?.canonical && gate.decision ? { kase: gate.canonical, decision: gate.decision, state: gate.state } : undefined;
  }

  async status(manager: EntityManager, kase: CaseV1, procedureId: string, message: string): Promise<void> {
    await this.recordStatus.execute(
      manager,
      randomUUID(),
      {
        caseId: kase.caseId,
        procedureId,
        status: 'ACTION_REQUIRED',
        message,
        reportedBy: 'payment-gate',
        reportedAt: new Date().toISOString(),
      },
      { replyChannel: kase.replyChannel, tenantArs: kase.tenant.ars },
    );
  }

  /** The policy in effect for the case's service and tenant: most specific prefix, latest version already valid. */
  private async gated(manager: EntityManager, kase: CaseV1): Promise<boolean> {
    const rows = await manager.query<{ ars_prefix: string; policy: string }[]>(
      `SELECT DISTINCT ON (ars_prefix) ars_prefix, policy FROM routing.payment_gate_policies
        WHERE leika_key = $1 AND ars_prefix = ANY($2::text[]) AND valid_from <= now() ORDER BY ars_prefix, version DESC`,
      [kase.service.leikaKey, arsPrefixes(kase.tenant.ars)],
    );
    const mostSpecific = rows.sort((a, b) => b.ars_prefix.length - a.ars_prefix.length)[0];
    return mostSpecific?.policy === 'mandatory-before-processing' || mostSpecific?.policy === 'before-processing';
  }
}
