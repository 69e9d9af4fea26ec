import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CaseV1, type FeeScheduleChangedV1, type RoutingDecisionDto } from '@poststelle/contracts';

/** `open`: fee known, unpaid, case not held; `held`: waiting for payment; `booked`: paid before routing; `released`. */
export type GateState = 'open' | 'held' | 'booked' | 'released';

export interface GateRow {
  state: GateState;
  kassenzeichen: string | null;
  amount: string | null;
  canonical: CaseV1 | null;
  decision: RoutingDecisionDto | null;
}

/** Routing's copy of the fee policies and the cases held for payment (all SQL of the payment gate). */
@Injectable()
export class PaymentGateRepository {
  async lock(manager: EntityManager, caseId: string): Promise<GateRow | undefined> {
    const [row] = await manager.query<GateRow[]>(
      'SELECT state, kassenzeichen, amount, canonical, decision FROM routing.payment_gates WHERE case_id = $1 FOR UPDATE',
      [caseId],
    );
    return row;
  }

  async read(manager: EntityManager, caseId: string): Promise<GateRow | undefined> {
    const [row] = await manager.query<GateRow[]>(
      'SELECT state, kassenzeichen, amount, canonical, decision FROM routing.payment_gates WHERE case_id = $1',
      [caseId],
    );
    return row;
  }

  /** The case waits (its decision is recorded as action-required by RoutingDecisionsRepository) and is kept. */
  async hold(manager: EntityManager, kase: CaseV1, decision: RoutingDecisionDto): Promise<void> {
    await manager.query(
      `INSERT INTO routing.payment_gates (case_id, state, canonical, decision) VALUES ($1, 'held', $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET state = 'held', canonical = $2, decision = $3, updated_at = now()`,
      [kase.caseId, JSON.stringify(kase), JSON.stringify(decision)],
    );
  }

  async recordPolicy(manager: EntityManager, e: FeeScheduleChangedV1): Promise<void> {
    await manager.query(
      `INSERT INTO routing.payment_gate_policies (leika_key, ars_prefix, version, policy, valid_from) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [e.leikaKey, e.arsPrefix, e.version, e.policy, e.validFrom],
    );
  }

  /** Remembers the fee's Kassenzeichen and amount; returns the gate's state. */
  async noteFee(manager: EntityManager, caseId: string, kassenzeichen: string | undefined, amount: string): Promise<GateState> {
    const [row] = await manager.query<{ state: GateState }[]>(
      `INSERT INTO routing.payment_gates (case_id, state, kassenzeichen, amount) VALUES ($1, 'open', $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET kassenzeichen = $2, amount = $3, updated_at = now() RETURNING state`,
      [caseId, kassenzeichen ?? null, amount],
    );
    return row!.state;
  }

  async setState(manager: EntityManager, caseId: string, state: GateState): Promise<void> {
    await manager.query(
      `INSERT INTO routing.payment_gates (case_id, state) VALUES ($1, $2) ON CONFLICT (case_id) DO UPDATE SET state = $2, updated_at = now()`,
      [caseId, state],
    );
  }

  /** The latest policy version in effect per prefix of the case's region, for its service. */
  async policies(manager: EntityManager, leikaKey: string, prefixes: string[]): Promise<{ ars_prefix: string; policy: string }[]> {
    return manager.query<{ ars_prefix: string; policy: string }[]>(
      `SELECT DISTINCT ON (ars_prefix) ars_prefix, policy FROM routing.payment_gate_policies
        WHERE leika_key = $1 AND ars_prefix = ANY($2::text[]) AND valid_from <= now() ORDER BY ars_prefix, version DESC`,
      [leikaKey, prefixes],
    );
  }
}
