import { findKassenzeichen, isValidKassenzeichen, canonicalKassenzeichen } from '../domain/kassenzeichen';
import { fromUnits, toUnits } from '../domain/money';
import { type PaymentFact } from '../domain/payment-lifecycle';
import { type CamtItem } from './camt-parser';

/** What a statement item means for our payments. */
export type MatchDecision =
  | { kind: 'apply'; paymentId: string; fact: PaymentFact; note: string }
  | { kind: 'queue'; reason: string }
  | { kind: 'ignore'; reason: string };

export interface Candidate {
  paymentId: string;
  kassenzeichen: string;
  providerTransactionId: string | null;
  amountDue: string;
  amountPaid: string;
}

/** The references an item offers: Kassenzeichen (remittance text, structured reference) and other ids. */
export function referencesOf(item: CamtItem): { kassenzeichen: string[]; references: string[] } {
  const kz = new Set(findKassenzeichen(item.remittance));
  const references = new Set<string>();
  for (const ref of [...item.structuredRefs, ...(item.endToEndId ? [item.endToEndId] : [])]) {
    if (ref === 'NOTPROVIDED') continue;
    if (isValidKassenzeichen(ref)) kz.add(canonicalKassenzeichen(ref.replace(/[\s-]/g, '')));
    else for (const k of findKassenzeichen(ref)) kz.add(k);
    references.add(ref);
  }
  return { kassenzeichen: [...kz], references: [...references] };
}

/**
 * A debit without return information is money we sent. Naming one of our payments (its Kassenzeichen), it is the
 * refund of (part of) what was paid; a debit naming none of ours is not our business here (ADR 0019).
 */
function outflow(item: CamtItem, candidates: Candidate[]): MatchDecision {
  if (candidates.length === 0)
    return { kind: 'ignore', reason: 'a debit without return information (an outgoing payment), nothing to match' };
  const names = candidates.map((c) => c.kassenzeichen).join(', ');
  if (candidates.length > 1 || item.currency !== 'EUR') {
    return {
      kind: 'queue',
      reason: `an outgoing payment of ${item.amount} ${item.currency} names ${names}: which refund it is, a clerk decides`,
    };
  }
  const match = candidates[0]!;
  if (toUnits(item.amount) > toUnits(match.amountPaid)) {
    return {
      kind: 'queue',
      reason: `an outgoing payment of ${item.amount} names Kassenzeichen ${names}, but only ${fromUnits(toUnits(match.amountPaid))} of it is paid`,
    };
  }
  return {
    kind: 'apply',
    paymentId: match.paymentId,
    fact: { kind: 'refund', amount: fromUnits(toUnits(item.amount)) },
    note: 'an outgoing transfer naming the Kassenzeichen (refund)',
  };
}

/**
 * Decides one item: a booked credit in EUR with a reference to exactly one of the tenant's payments is applied (the
 * amount decides BOOKED, PARTIALLY_PAID or OVERPAID); a debit with return information or a reversal returns money;
 * another debit naming one of our payments refunds it; everything else that could be ours goes to the clerk queue with the reason matching failed.
 */
export function decide(item: CamtItem, candidates: Candidate[], openWithSameAmount: number): MatchDecision {
  if (item.status !== undefined && item.status !== 'BOOK') {
    return { kind: 'ignore', reason: `entry status ${item.status}: not booked by the bank (yet)` };
  }
  const isReturn = item.direction === 'DBIT' && (item.returnReasonCode !== undefined || item.reversal);
  if (item.direction === 'DBIT' && !isReturn) return outflow(item, candidates);
  const refs = referencesOf(item);
  const named = refs.kassenzeichen.length > 0 ? `Kassenzeichen ${refs.kassenzeichen.join(', ')}` : undefined;
  if (item.direction === 'CRDT' && item.returnReasonCode !== undefined) {
    return {
      kind: 'queue',
      reason: `a credit with return reason ${item.returnReasonCode} (an outgoing payment came back); a clerk decides`,
    };
  }
  if (item.currency !== 'EUR') {
    return { kind: 'queue', reason: `amount ${item.amount} ${item.currency}: payments are due in EUR${named ? ` (${named})` : ''}` };
  }
  let matches = candidates;
  if (matches.length > 1) {
    const exact = matches.filter((c) => toUnits(c.amountDue) - toUnits(c.amountPaid) === toUnits(item.amount));
    if (exact.length !== 1) {
      return {
        kind: 'queue',
        reason: `ambiguous: the references name ${matches.length} payments (${matches.map((c) => c.kassenzeichen).join(', ')}) and the amount ${item.amount} does not single one out`,
      };
    }
    matches = exact;
  }
  const match = matches[0];
  if (!match) {
    if (named) return { kind: 'queue', reason: `${named} found in the remittance information, but no payment of this tenant has it` };
    const refsText = refs.references.length > 0 ? ` (references: ${refs.references.join(', ')})` : '';
    return {
      kind: 'queue',
      reason: `no Kassenzeichen in the remittance text or structured reference and no known end-to-end id${refsText}; ${openWithSameAmount} open payment(s) of this tenant are due exactly ${fromUnits(toUnits(item.amount))}`,
    };
  }
  const charges = item.charges.length > 0 ? `bank charges ${item.charges.join(' + ')}` : '';
  if (isReturn) {
    return {
      kind: 'apply',
      paymentId: match.paymentId,
      fact: {
        kind: 'return',
        amount: fromUnits(toUnits(item.amount)),
        ...(item.returnReasonCode ? { reasonCode: item.returnReasonCode } : {}),
      },
      note: [item.reversal ? 'reversal of the credit' : '', charges].filter(Boolean).join('; '),
    };
  }
  return { kind: 'apply', paymentId: match.paymentId, fact: { kind: 'credit', amount: fromUnits(toUnits(item.amount)) }, note: charges };
}
