import { randomUUID } from 'node:crypto';
import { toUnits } from '../domain/money';
import { type PaymentFact, type PaymentStatus } from '../domain/payment-lifecycle';
import { planTransition, type PlannedTransition, type TransitionRequest } from '../payments/payment-transition';
import { type PaymentRow } from '../payments/payments.repository';
import { type TransitionOutcome } from '../payments/transition-payment.use-case';
import { sameTransaction } from './double-booking';
import { type ClaimedItem, type NewBooking, type StoredBooking } from './statements.repository';

/** What a chunk's reconciliation read under the payments' row locks before deciding its items. */
export interface ChunkFacts {
  /** The chunk's candidate payments, locked. */
  payments: PaymentRow[];
  /** Open payments per tenant and amount, for the chunk's credits that name none of ours. */
  openByAmount: { tenantArs: string; amount: string; n: number }[];
  /** Request ids (`statement:<importId>/<position>`) the candidates' history has recorded already. */
  recorded: { paymentId: string; requestId: string }[];
  /** The candidates' bookings no later report has been paired with, oldest first. */
  unpaired: StoredBooking[];
}

/** What a chunk writes, in the order its items were decided. */
export interface ChunkWrites {
  queue: { itemId: string; item: ClaimedItem; reason: string }[];
  transitions: PlannedTransition[];
  bookings: NewBooking[];
}

const OPEN: readonly PaymentStatus[] = ['INITIAL', 'PARTIALLY_PAID'];
const isOpen = (p: PaymentRow): number => (OPEN.includes(p.status) ? 1 : 0);
const amountKey = (tenantArs: string, amount: string): string => `${tenantArs}|${toUnits(amount)}`;
const byPlace = (a: StoredBooking, b: StoredBooking): number =>
  a.importId === b.importId ? (a.position < b.position ? -1 : a.position > b.position ? 1 : 0) : a.importId < b.importId ? -1 : 1;

/**
 * The state of a chunk's payments while its items are decided one after the other, in memory: each decision sees
 * what the items before it did (payment states, request ids seen, bookings and their pairing, open payments by
 * amount), exactly as if every item had been written before the next was read; the writes are collected and made
 * per chunk in a few statements. Pure: no database, no clock beyond the event time.
 */
export class ChunkLedger {
  private readonly start = new Map<string, PaymentRow>();
  private readonly current = new Map<string, PaymentRow>();
  private readonly openCounts = new Map<string, number>();
  private readonly recorded = new Set<string>();
  /** Unpaired bookings from before this chunk (oldest first), then this chunk's (written in one transaction: by import, position). */
  private readonly storedUnpaired: StoredBooking[];
  private readonly chunkUnpaired: StoredBooking[] = [];
  private writes: ChunkWrites = { queue: [], transitions: [], bookings: [] };

  constructor(facts: ChunkFacts) {
    for (const p of facts.payments) {
      this.start.set(p.paymentId, p);
      this.current.set(p.paymentId, p);
    }
    for (const o of facts.openByAmount) this.openCounts.set(amountKey(o.tenantArs, o.amount), o.n);
    for (const r of facts.recorded) this.recorded.add(`${r.paymentId}|${r.requestId}`);
    this.storedUnpaired = [...facts.unpaired];
  }

  /** Open payments of the tenant due exactly this amount, counting what this chunk's transitions did so far. */
  openWithAmount(tenantArs: string, amount: string): number {
    const key = amountKey(tenantArs, amount);
    let n = this.openCounts.get(key) ?? 0;
    for (const [id, before] of this.start) {
      if (amountKey(before.tenantArs, before.amountDue) === key) n += isOpen(this.current.get(id)!) - isOpen(before);
    }
    return n;
  }

  /** The earliest unpaired booking of another import that reports the same bank transaction to the same payment. */
  earlierReport(b: StoredBooking): StoredBooking | undefined {
    const units = toUnits(b.amount);
    return [...this.storedUnpaired, ...this.chunkUnpaired].find(
      (e) =>
        e.paymentId === b.paymentId &&
        e.direction === b.direction &&
        toUnits(e.amount) === units &&
        e.importId !== b.importId &&
        sameTransaction(e, b),
    );
  }

  /** Notes an item's booking; one that repeats an earlier report pairs both, so neither is matched again. */
  book(b: NewBooking): void {
    this.writes.bookings.push(b);
    if (b.pairedWith) {
      const { importId, position } = b.pairedWith;
      for (const list of [this.storedUnpaired, this.chunkUnpaired]) {
        const i = list.findIndex((e) => e.importId === importId && e.position === position);
        if (i >= 0) list.splice(i, 1);
      }
      return;
    }
    this.chunkUnpaired.push(b);
    this.chunkUnpaired.sort(byPlace);
  }

  /** Applies a fact to a locked payment once per request id, as `TransitionPaymentUseCase` does, in memory. */
  transition(paymentId: string, fact: PaymentFact, request: TransitionRequest): TransitionOutcome {
    const payment = this.current.get(paymentId);
    if (!payment) throw new Error(`payment ${paymentId} is not among the chunk's locked candidates`);
    const planned = planTransition(payment, fact, request);
    if (!planned) return { result: 'unchanged', status: payment.status };
    const key = `${paymentId}|${request.requestId}`;
    if (this.recorded.has(key)) return { result: 'duplicate', status: payment.status };
    this.recorded.add(key);
    this.current.set(paymentId, { ...payment, status: planned.history.to, amountPaid: planned.history.amountPaid });
    this.writes.transitions.push(planned);
    return { result: 'applied', status: planned.history.to };
  }

  queue(item: ClaimedItem, reason: string): void {
    this.writes.queue.push({ itemId: randomUUID(), item, reason });
  }

  /** A payment changed outside the ledger (a refund recorded in the database, after `drain()`): its state now. */
  refresh(payment: PaymentRow): void {
    this.current.set(payment.paymentId, payment);
  }

  /** The writes collected since the last drain, to be made now. */
  drain(): ChunkWrites {
    const w = this.writes;
    this.writes = { queue: [], transitions: [], bookings: [] };
    return w;
  }
}
