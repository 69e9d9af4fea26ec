import { fromUnits, toUnits } from './money';

export const PAYMENT_STATUSES = ['INITIAL', 'BOOKED', 'FAILED', 'CANCELED', 'RETURNED', 'REFUNDED', 'PARTIALLY_PAID', 'OVERPAID'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface PaymentState {
  status: PaymentStatus;
  amountDue: string;
  amountPaid: string;
}

/** What happened to a payment: a provider's final answer, money in (credit), money back (return, refund). */
export type PaymentFact =
  | { kind: 'provider-status'; status: 'BOOKED' | 'FAILED' | 'CANCELED' }
  | { kind: 'credit'; amount: string }
  | { kind: 'return'; amount: string; reasonCode?: string }
  | { kind: 'refund'; amount: string };

export interface Transition {
  status: PaymentStatus;
  amountPaid: string;
  /** Why, in words, for the history. */
  reason: string;
}

/** The state after a fact; `undefined` when the fact changes nothing (e.g. a BOOKED answer for a booked payment). */
export function nextState(state: PaymentState, fact: PaymentFact): Transition | undefined {
  const due = toUnits(state.amountDue);
  const paid = toUnits(state.amountPaid);
  const byAmount = (newPaid: bigint, what: string): Transition => {
    const amountPaid = fromUnits(newPaid);
    if (newPaid === due) return { status: 'BOOKED', amountPaid, reason: `${what}: ${amountPaid} of ${state.amountDue} paid` };
    if (newPaid > due)
      return {
        status: 'OVERPAID',
        amountPaid,
        reason: `${what}: ${amountPaid} paid, ${fromUnits(newPaid - due)} more than ${state.amountDue} due`,
      };
    if (newPaid <= 0n) return { status: 'RETURNED', amountPaid, reason: `${what}: nothing of ${state.amountDue} remains paid` };
    return {
      status: 'PARTIALLY_PAID',
      amountPaid,
      reason: `${what}: ${amountPaid} of ${state.amountDue} paid, ${fromUnits(due - newPaid)} missing`,
    };
  };
  switch (fact.kind) {
    case 'provider-status':
      if (state.status !== 'INITIAL') return undefined; // final answers are final; a repeated BOOKED books nothing
      if (fact.status === 'BOOKED')
        return { status: 'BOOKED', amountPaid: state.amountDue, reason: 'provider reports the payment as booked' };
      return { status: fact.status, amountPaid: state.amountPaid, reason: `provider reports the payment as ${fact.status.toLowerCase()}` };
    case 'credit':
      return byAmount(paid + toUnits(fact.amount), `credit of ${fact.amount}`);
    case 'return': {
      const newPaid = paid - toUnits(fact.amount);
      const amountPaid = fromUnits(newPaid > 0n ? newPaid : 0n);
      const code = fact.reasonCode ? ` (reason ${fact.reasonCode})` : '';
      return { status: 'RETURNED', amountPaid, reason: `the bank returned ${fact.amount}${code}; ${amountPaid} remains paid` };
    }
    case 'refund': {
      // Refunding an overpayment's excess leaves the fee paid (BOOKED, or still OVERPAID); anything below the fee is
      // REFUNDED, wholly or in part, and the reason says which.
      const newPaid = paid - toUnits(fact.amount) > 0n ? paid - toUnits(fact.amount) : 0n;
      const amountPaid = fromUnits(newPaid);
      const what = `${fromUnits(toUnits(fact.amount))} refunded to the payer`;
      if (due > 0n && newPaid >= due) return byAmount(newPaid, what);
      if (newPaid > 0n)
        return { status: 'REFUNDED', amountPaid, reason: `${what} (partial refund): ${amountPaid} of ${state.amountDue} remains paid` };
      return { status: 'REFUNDED', amountPaid, reason: `${what}: nothing of ${state.amountDue} remains paid` };
    }
  }
}
