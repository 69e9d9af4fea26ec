import { formatKassenzeichen } from '../domain/kassenzeichen';
import { type CamtItem } from './camt-parser';
import { sameTransaction, type BookedItemFacts } from './double-booking';
import { decide, type Candidate } from './matcher';

const item = (over: Partial<CamtItem>): CamtItem => ({
  position: '0.0.0',
  statementId: 'S',
  amount: '30.50',
  currency: 'EUR',
  direction: 'CRDT',
  reversal: false,
  status: 'BOOK',
  bookingDate: '2026-12-01',
  remittance: '',
  structuredRefs: [],
  endToEndId: undefined,
  returnReasonCode: undefined,
  charges: [],
  batchSize: undefined,
  debtorName: undefined,
  ...over,
});
const payment = (paymentId: string, kassenzeichen: string, amountDue = '30.50'): Candidate => ({
  paymentId,
  kassenzeichen,
  providerTransactionId: null,
  amountDue,
  amountPaid: '0.00',
});

describe('matching statement items', () => {
  it('applies a credit to the one payment named, and a return with its reason code', () => {
    expect(decide(item({}), [payment('p1', 'K')], 0)).toMatchObject({
      kind: 'apply',
      paymentId: 'p1',
      fact: { kind: 'credit', amount: '30.50' },
    });
    expect(decide(item({ direction: 'DBIT', returnReasonCode: 'MS03' }), [payment('p1', 'K')], 0)).toMatchObject({
      kind: 'apply',
      fact: { kind: 'return', reasonCode: 'MS03' },
    });
  });
  it('lets the amount single out one of several payments, else queues as ambiguous', () => {
    const two = [payment('p1', 'A', '10.00'), payment('p2', 'B', '30.50')];
    expect(decide(item({}), two, 0)).toMatchObject({ kind: 'apply', paymentId: 'p2' });
    const ambiguous = decide(item({ amount: '5.00' }), two, 0);
    expect(ambiguous.kind === 'queue' && ambiguous.reason).toMatch(/^ambiguous/);
  });
  it('queues foreign currencies and unknown references with the reason; ignores unbooked entries and plain debits', () => {
    const chf = decide(item({ currency: 'CHF' }), [], 0);
    expect(chf.kind === 'queue' && chf.reason).toContain('CHF');
    const unknown = decide(item({ remittance: `KZ ${formatKassenzeichen('120540000000', 2026, 42)}` }), [], 0);
    expect(unknown.kind === 'queue' && unknown.reason).toContain('no payment of this tenant has it');
    expect(decide(item({ status: 'PDNG' }), [], 0)).toMatchObject({ kind: 'ignore' });
    expect(decide(item({ direction: 'DBIT' }), [], 0)).toMatchObject({ kind: 'ignore' });
  });
});

describe('money we sent', () => {
  const paidPayment = { ...payment('p1', 'K'), amountPaid: '30.50' };
  it('a debit naming one of our payments is its refund, at most what was paid; naming none, it is ignored', () => {
    expect(decide(item({ direction: 'DBIT', amount: '5.00' }), [paidPayment], 0)).toMatchObject({
      kind: 'apply',
      paymentId: 'p1',
      fact: { kind: 'refund', amount: '5.00' },
    });
    const tooMuch = decide(item({ direction: 'DBIT', amount: '40.00' }), [paidPayment], 0);
    expect(tooMuch.kind === 'queue' && tooMuch.reason).toContain('only 30.50 of it is paid');
    expect(decide(item({ direction: 'DBIT', amount: '5.00' }), [], 0)).toMatchObject({ kind: 'ignore' });
  });
});

describe('the same transaction reported twice', () => {
  const facts = (over: Partial<BookedItemFacts>): BookedItemFacts => ({
    kind: 'camt.054',
    direction: 'CRDT',
    bookingDate: '2026-12-01',
    accountServicerRef: null,
    endToEndId: null,
    ...over,
  });
  it('the bank reference decides when both carry one, whatever the kinds', () => {
    expect(sameTransaction(facts({ accountServicerRef: 'R1' }), facts({ kind: 'camt.053', accountServicerRef: 'R1' }))).toBe(true);
    expect(sameTransaction(facts({ accountServicerRef: 'R1' }), facts({ accountServicerRef: 'R1' }))).toBe(true);
    expect(sameTransaction(facts({ accountServicerRef: 'R1' }), facts({ kind: 'camt.053', accountServicerRef: 'R2' }))).toBe(false);
  });
  it('without it, only a camt.054 and a camt.053 are compared: end-to-end id, else booking date', () => {
    expect(sameTransaction(facts({}), facts({ kind: 'camt.053' }))).toBe(true);
    expect(sameTransaction(facts({}), facts({}))).toBe(false);
    expect(sameTransaction(facts({}), facts({ kind: 'camt.053', bookingDate: '2026-12-02' }))).toBe(false);
    expect(sameTransaction(facts({ endToEndId: 'E1' }), facts({ kind: 'camt.053', endToEndId: 'E2' }))).toBe(false);
    expect(sameTransaction(facts({ endToEndId: 'NOTPROVIDED' }), facts({ kind: 'camt.053', endToEndId: 'E2' }))).toBe(true);
    expect(sameTransaction(facts({}), facts({ kind: 'camt.053', direction: 'DBIT' }))).toBe(false);
  });
});
