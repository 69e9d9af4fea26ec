import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addManyToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { paymentTransitions } from '../payments/payment-metrics';
import { PaymentsRepository, type PaymentRow } from '../payments/payments.repository';
import { RefundPaymentUseCase } from '../refunds/refund-payment.use-case';
import { ChunkLedger, type ChunkWrites } from './chunk-ledger';
import { decide, referencesOf, type MatchDecision } from './matcher';
import { StatementsRepository, type ClaimedItem, type ItemOutcome as Outcome, type StoredBooking } from './statements.repository';

const sourceOf = (c: ClaimedItem): string => `statement:${c.importId}/${c.position}`;

/**
 * Works off pending statement items in chunks, one transaction per chunk: an item's booking, its outcome and the
 * import's progress commit together, so a process killed mid-import resumes where it stopped and books every match
 * exactly once (the payment transition is also idempotent per `statement:<importId>/<position>`). A credit (or debit)
 * another import already booked (the intraday camt.054 and the day's camt.053 report the same transaction) is
 * booked once: the later item says which import booked it.
 *
 * Set-based per chunk: the chunk's candidate payments are locked in one statement (in payment id order), their
 * unpaired bookings, recorded request ids and the open payments by amount are read in one statement each; the items
 * are then decided one after the other in memory (`ChunkLedger`), and the clerk queue rows, history rows with the new
 * payment states, outbox events and bookings are written in one statement each. A refund debit is the exception: it
 * writes what came before it and goes through `RefundPaymentUseCase` (which also looks at refunds recorded by hand).
 */
@Injectable()
export class ReconcileItemsUseCase {
  private readonly log = new Logger('ReconcileItems');

  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: StatementsRepository,
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundPaymentUseCase,
  ) {}

  /** Reconciles up to `limit` items; returns how many. */
  async runChunk(limit = 200): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const claimed = await this.statements.claimPending(manager, limit);
      if (claimed.length === 0) return 0;
      const candidates = await this.lockCandidates(manager, claimed);
      const ledger = await this.ledgerFor(manager, claimed, candidates);
      const outcomes: Outcome[] = [];
      for (const item of claimed) outcomes.push(await this.reconcile(manager, ledger, item, candidates.get(item) ?? []));
      await this.write(manager, ledger.drain());
      await this.statements.settleItems(manager, outcomes);
      return claimed.length;
    });
  }

  /** The payments each item's references name, locked for the whole chunk at once (per tenant, tenants in order). */
  private async lockCandidates(manager: EntityManager, claimed: ClaimedItem[]): Promise<Map<ClaimedItem, PaymentRow[]>> {
    const refs = new Map(claimed.map((c) => [c, referencesOf(c.item)] as const));
    const byTenant = new Map<string, PaymentRow[]>();
    for (const tenant of [...new Set(claimed.map((c) => c.tenantArs))].sort()) {
      const mine = claimed.filter((c) => c.tenantArs === tenant).map((c) => refs.get(c)!);
      byTenant.set(
        tenant,
        await this.payments.lockCandidates(
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

  /** Reads, under the candidates' locks, what the chunk's decisions depend on besides the candidates themselves. */
  private async ledgerFor(
    manager: EntityManager,
    claimed: ClaimedItem[],
    candidates: Map<ClaimedItem, PaymentRow[]>,
  ): Promise<ChunkLedger> {
    const locked = [...new Map([...candidates.values()].flat().map((p) => [p.paymentId, p] as const)).values()];
    const ids = locked.map((p) => p.paymentId);
    const unmatchedCredits = claimed.filter((c) => (candidates.get(c) ?? []).length === 0 && c.item.direction === 'CRDT');
    return new ChunkLedger({
      payments: locked,
      openByAmount: await this.payments.openByAmount(
        manager,
        unmatchedCredits.map((c) => ({ tenantArs: c.tenantArs, amount: c.item.amount })),
      ),
      recorded: await this.payments.recordedRequests(manager, ids, claimed.map(sourceOf)),
      unpaired: await this.statements.unpairedBookings(manager, ids),
    });
  }

  private async reconcile(manager: EntityManager, ledger: ChunkLedger, c: ClaimedItem, candidates: PaymentRow[]): Promise<Outcome> {
    const sameAmount = candidates.length === 0 && c.item.direction === 'CRDT' ? ledger.openWithAmount(c.tenantArs, c.item.amount) : 0;
    const decision = decide(c.item, candidates, sameAmount);
    const at = { importId: c.importId, position: c.position };
    switch (decision.kind) {
      case 'apply':
        return this.apply(manager, ledger, c, decision);
      case 'queue':
        ledger.queue(c, decision.reason);
        this.log.info('statement item queued for a clerk', { ...at, reason: decision.reason });
        return { ...at, state: 'queued', paymentId: null, text: decision.reason };
      case 'ignore':
        return { ...at, state: 'ignored', paymentId: null, text: decision.reason };
    }
  }

  /** Books a matched item once: unless an earlier import's report of the same transaction booked it already. */
  private async apply(
    manager: EntityManager,
    ledger: ChunkLedger,
    c: ClaimedItem,
    decision: Extract<MatchDecision, { kind: 'apply' }>,
  ): Promise<Outcome> {
    const at = { importId: c.importId, position: c.position };
    const source = sourceOf(c);
    const booking: StoredBooking = {
      ...at,
      kind: c.kind,
      messageId: c.messageId,
      paymentId: decision.paymentId,
      direction: c.item.direction,
      amount: decision.fact.kind === 'provider-status' ? '0' : decision.fact.amount,
      bookingDate: c.item.bookingDate ?? null,
      accountServicerRef: c.item.accountServicerRef ?? null,
      endToEndId: c.item.endToEndId ?? null,
    };
    const earlier = ledger.earlierReport(booking);
    if (earlier) {
      const duplicateOf = { importId: earlier.importId, kind: earlier.kind, messageId: earlier.messageId, position: earlier.position };
      ledger.book({ ...booking, tenantArs: c.tenantArs, pairedWith: duplicateOf });
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
      // A refund may confirm one recorded by hand: the refund use-case decides, on the database as written so far.
      await this.write(manager, ledger.drain());
      text = await this.refunds.fromStatement(manager, decision.paymentId, decision.fact.amount, source, decision.note);
      ledger.refresh((await this.payments.lock(manager, decision.paymentId))!);
    } else {
      const outcome = ledger.transition(decision.paymentId, decision.fact, {
        requestId: source,
        source,
        ...(decision.note ? { note: decision.note } : {}),
      });
      if (outcome.result === 'applied')
        this.log.info('payment transition', { ...at, paymentId: decision.paymentId, to: outcome.status, source });
      text = `${decision.fact.kind} → ${outcome.status}${outcome.result === 'applied' ? '' : ` (${outcome.result})`}`;
    }
    ledger.book({ ...booking, tenantArs: c.tenantArs });
    return { ...at, state: 'booked', paymentId: decision.paymentId, text };
  }

  /** Makes the ledger's collected writes, one statement per kind. */
  private async write(manager: EntityManager, w: ChunkWrites): Promise<void> {
    await this.statements.enqueue(manager, w.queue);
    await this.payments.recordTransitions(
      manager,
      w.transitions.map((t) => t.history),
    );
    await addManyToOutbox(
      manager,
      w.transitions.map((t) => t.message),
    );
    await this.statements.recordBookings(manager, w.bookings);
    for (const t of w.transitions) paymentTransitions.inc({ status: t.history.to });
  }
}
