import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Logger } from '@poststelle/telemetry';
import { PaymentsRepository, type PaymentRow } from '../payments/payments.repository';
import { TransitionPaymentUseCase } from '../payments/transition-payment.use-case';
import { RefundPaymentUseCase } from '../refunds/refund-payment.use-case';
import { sameTransaction, type BookedItemFacts } from './double-booking';
import { decide, referencesOf, type MatchDecision } from './matcher';
import { StatementsRepository, type ClaimedItem, type ItemOutcome as Outcome } from './statements.repository';

/**
 * Works off pending statement items in chunks, one transaction per chunk: an item's booking, its outcome and the
 * import's progress commit together, so a process killed mid-import resumes where it stopped and books every match
 * exactly once (the payment transition is also idempotent per `statement:<importId>/<position>`). A credit (or debit)
 * another import already booked (the intraday camt.054 and the day's camt.053 report the same transaction) is
 * booked once: the later item says which import booked it.
 */
@Injectable()
export class ReconcileItemsUseCase {
  private readonly log = new Logger('ReconcileItems');

  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: StatementsRepository,
    private readonly payments: PaymentsRepository,
    private readonly transition: TransitionPaymentUseCase,
    private readonly refunds: RefundPaymentUseCase,
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
      case 'apply':
        return this.apply(manager, c, decision, source);
      case 'queue':
        await this.statements.enqueue(manager, randomUUID(), c, decision.reason);
        this.log.info('statement item queued for a clerk', { importId: c.importId, position: c.position, reason: decision.reason });
        return { ...at, state: 'queued', paymentId: null, text: decision.reason };
      case 'ignore':
        return { ...at, state: 'ignored', paymentId: null, text: decision.reason };
    }
  }

  /** Books a matched item once: unless an earlier import's report of the same transaction booked it already. */
  private async apply(
    manager: EntityManager,
    c: ClaimedItem,
    decision: Extract<MatchDecision, { kind: 'apply' }>,
    source: string,
  ): Promise<Outcome> {
    const at = { importId: c.importId, position: c.position };
    const facts: BookedItemFacts = {
      kind: c.kind,
      direction: c.item.direction,
      bookingDate: c.item.bookingDate ?? null,
      accountServicerRef: c.item.accountServicerRef ?? null,
      endToEndId: c.item.endToEndId ?? null,
    };
    const booking = {
      ...at,
      ...facts,
      tenantArs: c.tenantArs,
      paymentId: decision.paymentId,
      messageId: c.messageId,
      amount: decision.fact.kind === 'provider-status' ? '0' : decision.fact.amount,
    };
    await this.payments.lock(manager, decision.paymentId); // one decision per payment at a time, across imports
    const earlier = (
      await this.statements.unpairedBookings(manager, {
        paymentId: decision.paymentId,
        direction: facts.direction,
        amount: booking.amount,
        importId: c.importId,
      })
    ).find((b) => sameTransaction(b, facts));
    if (earlier) {
      const duplicateOf = { importId: earlier.importId, kind: earlier.kind, messageId: earlier.messageId, position: earlier.position };
      await this.statements.recordBooking(manager, { ...booking, pairedWith: duplicateOf });
      this.log.info('statement item already booked by an earlier import', { ...at, duplicateOf });
      return {
        ...at,
        state: 'already-booked',
        paymentId: decision.paymentId,
        text: `already booked by import ${earlier.importId} (${earlier.kind} message ${earlier.messageId}, item ${earlier.position}): not booked again`,
        duplicateOf,
      };
    }
    let text: string;
    if (decision.fact.kind === 'refund') {
      text = await this.refunds.fromStatement(manager, decision.paymentId, decision.fact.amount, source, decision.note);
    } else {
      const outcome = await this.transition.execute(manager, decision.paymentId, decision.fact, {
        requestId: source,
        source,
        ...(decision.note ? { note: decision.note } : {}),
      });
      text = `${decision.fact.kind} → ${outcome.status}${outcome.result === 'applied' ? '' : ` (${outcome.result})`}`;
    }
    await this.statements.recordBooking(manager, booking);
    return { ...at, state: 'booked', paymentId: decision.paymentId, text };
  }
}
