import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Logger } from '@poststelle/telemetry';
import { PaymentsRepository, type PaymentRow } from '../payments/payments.repository';
import { TransitionPaymentUseCase } from '../payments/transition-payment.use-case';
import { decide, referencesOf } from './matcher';

import { StatementsRepository, type ClaimedItem } from './statements.repository';

type Outcome = Parameters<StatementsRepository['settleItems']>[1][number];

/**
 * Works off pending statement items in chunks, one transaction per chunk: an item's booking, its outcome and the
 * import's progress commit together, so a process killed mid-import resumes where it stopped and books every match
 * exactly once (the payment transition is also idempotent per `statement:<importId>/<position>`).
 */
@Injectable()
export class ReconcileItemsUseCase {
  private readonly log = new Logger('ReconcileItems');

  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: StatementsRepository,
    private readonly payments: PaymentsRepository,
    private readonly transition: TransitionPaymentUseCase,
  ) {}

  /** Reconciles up to `limit` items; returns how many. */
  async runChunk(limit = 200): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const claimed = await this.statements.claimPending(manager, limit);
      const candidates = await this.candidatesFor(manager, claimed);
      const outcomes: Outcome[] = [];
      for (const item of claimed) outcomes.push(await this.reconcile(manager, item, candidates.get(item) ?? []));
      await this.statements.settleItems(manager, outcomes);
      return claimed.length;
    });
  }

  /** The payments each item's references name, looked up for the whole chunk at once (per tenant). */
  private async candidatesFor(manager: EntityManager, claimed: ClaimedItem[]): Promise<Map<ClaimedItem, PaymentRow[]>> {
    const refs = new Map(claimed.map((c) => [c, referencesOf(c.item)] as const));
    const byTenant = new Map<string, PaymentRow[]>();
    for (const tenant of new Set(claimed.map((c) => c.tenantArs))) {
      const mine = claimed.filter((c) => c.tenantArs === tenant).map((c) => refs.get(c)!);
      byTenant.set(
        tenant,
        await this.payments.candidates(
          manager,
          tenant,
          mine.flatMap((r) => r.kassenzeichen),
          mine.flatMap((r) => r.references),
        ),
      );
    }
    return new Map(
      claimed.map((c) => {
        const r = refs.get(c)!;
        const rows = byTenant.get(c.tenantArs) ?? [];
        return [
          c,
          rows.filter(
            (p) =>
              r.kassenzeichen.includes(p.kassenzeichen) ||
              r.references.includes(p.kassenzeichen) ||
              (p.providerTransactionId !== null && r.references.includes(p.providerTransactionId)),
          ),
        ] as const;
      }),
    );
  }

  private async reconcile(manager: EntityManager, c: ClaimedItem, candidates: PaymentRow[]): Promise<Outcome> {
    const sameAmount =
      candidates.length === 0 && c.item.direction === 'CRDT' ? await this.payments.openWithAmount(manager, c.tenantArs, c.item.amount) : 0;
    const decision = decide(c.item, candidates, sameAmount);
    const source = `statement:${c.importId}/${c.position}`;
    const at = { importId: c.importId, position: c.position };
    switch (decision.kind) {
      case 'apply': {
        const outcome = await this.transition.execute(manager, decision.paymentId, decision.fact, {
          requestId: source,
          source,
          ...(decision.note ? { note: decision.note } : {}),
        });
        return {
          ...at,
          state: 'booked',
          paymentId: decision.paymentId,
          text: `${decision.fact.kind} → ${outcome.status}${outcome.result === 'applied' ? '' : ` (${outcome.result})`}`,
        };
      }
      case 'queue':
        await this.statements.enqueue(manager, randomUUID(), c, decision.reason);
        this.log.info('statement item queued for a clerk', { importId: c.importId, position: c.position, reason: decision.reason });
        return { ...at, state: 'queued', paymentId: null, text: decision.reason };
      case 'ignore':
        return { ...at, state: 'ignored', paymentId: null, text: decision.reason };
    }
  }
}
