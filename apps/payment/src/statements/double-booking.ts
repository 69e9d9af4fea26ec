/**
 * The same credit is reported twice by a bank: in the intraday notification (camt.054) and again in the day's
 * statement (camt.053). These are the facts of a booked statement item that tell whether two reports are the same
 * bank transaction.
 */
export interface BookedItemFacts {
  kind: string;
  direction: 'CRDT' | 'DBIT';
  bookingDate: string | null;
  accountServicerRef: string | null;
  endToEndId: string | null;
}

const known = (ref: string | null): ref is string => ref !== null && ref !== '' && ref.toUpperCase() !== 'NOTPROVIDED';

/**
 * Whether two reports (same tenant, same payment, same amount and direction: the caller's query) are one bank
 * transaction:
 * - both carry the bank's reference (`AcctSvcrRef`): it decides, whatever the message kinds;
 * - otherwise only a camt.054 and a camt.053 (never two reports of one kind, which are two transfers of the same
 *   amount) are compared: by the end-to-end id when both carry one, else by the booking date.
 */
export function sameTransaction(a: BookedItemFacts, b: BookedItemFacts): boolean {
  if (a.direction !== b.direction) return false;
  if (known(a.accountServicerRef) && known(b.accountServicerRef)) return a.accountServicerRef === b.accountServicerRef;
  if (a.kind === b.kind) return false;
  if (known(a.endToEndId) && known(b.endToEndId)) return a.endToEndId === b.endToEndId;
  return a.bookingDate !== null && a.bookingDate === b.bookingDate;
}
