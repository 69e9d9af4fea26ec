import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Logger } from '@poststelle/telemetry';
import { PaymentsRepository } from '../payments/payments.repository';
import { TransitionPaymentUseCase } from '../payments/transition-payment.use-case';
import { decide, referencesOf } from './matcher';
import { StatementsRepository, type ClaimedItem } from './statements.repository';

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
      for (const item of claimed) await this.reconcile(manager, item);
      return claimed.length;
    });
  }

  private async reconcile(manager: EntityManager, c: ClaimedItem): Promise<void> {
    const refs = referencesOf(c.item);
    const candidates = await this.payments.candidates(manager, c.tenantArs, refs.kassenzeichen, refs.references);
    const sameAmount =
      candidates.length === 0 && c.item.direction === 'CRDT' ? await this.payments.openWithAmount(manager, c.tenantArs, c.item.amount) : 0;
    const decision = decide(c.item, candidates, sameAmount);
    const source = `statement:${c.importId}/${c.position}`;
    switch (decision.kind) {
      case 'apply': {
        const outcome = await this.transition.execute(manager, decision.paymentId, decision.fact, {
          requestId: source,
          source,
          ...(decision.note ? { note: decision.note } : {}),
        });
        await this.statements.settleItem(manager, c.importId, c.position, {
          state: 'booked',
          paymentId: decision.paymentId,
          text: `${decision.fact.kind} → ${outcome.status}${outcome.result === 'applied' ? '' : ` (${outcome.result})`}`,
        });
        return;
      }
      case 'queue':
        await this.statements.enqueue(manager, randomUUID(), c, decision.reason);
        await this.statements.settleItem(manager, c.importId, c.position, { state: 'queued', paymentId: null, text: decision.reason });
        this.log.info('statement item queued for a clerk', { importId: c.importId, position: c.position, reason: decision.reason });
        return;
      case 'ignore':
        await this.statements.settleItem(manager, c.importId, c.position, { state: 'ignored', paymentId: null, text: decision.reason });
        return;
    }
  }
}
