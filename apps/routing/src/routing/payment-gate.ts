import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { arsPrefixes, type CaseV1, type FeeScheduleChangedV1, type RoutingDecisionDto } from '@poststelle/contracts';
import { Logger } from '@poststelle/telemetry';
import { RecordStatusUseCase } from '../status/record-status.use-case';
import { PaymentGateRepository, type GateState } from './payment-gate.repository';
import { RoutingDecisionsRepository } from './routing-decisions.repository';
import { routingDecisions } from './routing-metrics';

/**
 * Holds a case whose fee is `mandatory-before-processing` until payment reports it BOOKED. Routing knows the policy
 * from its own copy of the fee schedule (`payments.fee-schedule.v1`) and the payment state from
 * `payments.events.v1`: coordination by events, no table shared with payment.
 */
@Injectable()
export class PaymentGate {
  private readonly log = new Logger('PaymentGate');

  constructor(
    private readonly recordStatus: RecordStatusUseCase,
    private readonly gates: PaymentGateRepository,
    private readonly decisions: RoutingDecisionsRepository,
  ) {}

  /** True when the case was held (or is already held) for payment instead of being published. */
  async holds(manager: EntityManager, kase: CaseV1, decision: RoutingDecisionDto): Promise<boolean> {
    if (!(await this.gated(manager, kase))) return false;
    const gate = await this.gates.lock(manager, kase.caseId);
    if (gate?.state === 'booked' || gate?.state === 'released') return false;
    await this.decisions.decide(
      manager,
      kase,
      'action-required',
      decision,
      `${decision.explanation}; held until its fee (mandatory before processing) is paid`,
    );
    await this.gates.hold(manager, kase, decision);
    routingDecisions.inc({ outcome: 'held-payment' });
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
    await this.gates.recordPolicy(manager, e);
  }

  /** Remembers the fee's Kassenzeichen and amount; returns the gate's state (`held`: tell the applicant how to pay). */
  async noteFee(manager: EntityManager, caseId: string, kassenzeichen: string | undefined, amount: string): Promise<GateState> {
    return this.gates.noteFee(manager, caseId, kassenzeichen, amount);
  }

  /** Marks the case's payment as booked; returns the held case and decision when it was waiting. */
  async book(manager: EntityManager, caseId: string): Promise<{ kase: CaseV1; decision: RoutingDecisionDto } | undefined> {
    const gate = await this.gates.lock(manager, caseId);
    if (gate?.state === 'released' || gate?.state === 'booked') return undefined;
    await this.gates.setState(manager, caseId, gate?.state === 'held' ? 'released' : 'booked');
    return gate?.state === 'held' && gate.canonical && gate.decision ? { kase: gate.canonical, decision: gate.decision } : undefined;
  }

  /** The held or released case, to tell applicant and caseworker about a failed, cancelled or returned payment. */
  async caseOf(manager: EntityManager, caseId: string): Promise<{ kase: CaseV1; decision: RoutingDecisionDto; state: string } | undefined> {
    const gate = await this.gates.read(manager, caseId);
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
    const rows = await this.gates.policies(manager, kase.service.leikaKey, arsPrefixes(kase.tenant.ars));
    const mostSpecific = rows.sort((a, b) => b.ars_prefix.length - a.ars_prefix.length)[0];
    return mostSpecific?.policy === 'mandatory-before-processing' || mostSpecific?.policy === 'before-processing';
  }
}
