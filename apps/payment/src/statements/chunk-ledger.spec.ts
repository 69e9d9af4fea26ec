import { type PaymentRow } from '../payments/payments.repository';
import { ChunkLedger, type ChunkFacts } from './chunk-ledger';
import { type StoredBooking } from './statements.repository';

const TENANT = '120540000000';
const payment = (paymentId: string, over: Partial<PaymentRow> = {}): PaymentRow => ({
  paymentId,
  caseId: `case-${paymentId}`,
  feeId: paymentId,
  tenantArs: TENANT,
  leikaKey: '99050012104000',
  serviceName: null,
  kassenzeichen: `KZ-${paymentId}`,
  portalReference: null,
  amountDue: '30.50',
  amountPaid: '0.00',
  currency: 'EUR',
  policy: 'deferred',
  bookingText: 'TEST',
  paymentMethod: null,
  status: 'INITIAL',
  providerTransactionId: null,
  paypageUrl: null,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
  ...over,
});
const ledger = (over: Partial<ChunkFacts> = {}) => new ChunkLedger({ payments: [], openByAmount: [], recorded: [], unpaired: [], ...over });
const booking = (over: Partial<StoredBooking>): StoredBooking => ({
  importId: 'imp-b',
  position: '0.0.0',
  kind: 'camt.053',
  messageId: 'M-B',
  paymentId: 'p1',
  direction: 'CRDT',
  amount: '30.50',
  bookingDate: '2026-12-01',
  accountServicerRef: null,
  endToEndId: null,
  ...over,
});
const request = (position: string) => ({ requestId: `statement:imp/${position}`, source: `statement:imp/${position}` });

describe('ChunkLedger: a chunk of statement items decided one after the other, written together', () => {
  it('lets each credit see the ones before it: partial, then paid, then overpaid, with history and event per step', () => {
    const l = ledger({ payments: [payment('p1')] });
    expect(l.transition('p1', { kind: 'credit', amount: '10.00' }, request('0.0.0'))).toEqual({
      result: 'applied',
      status: 'PARTIALLY_PAID',
    });
    expect(l.transition('p1', { kind: 'credit', amount: '20.50' }, request('0.1.0'))).toEqual({ result: 'applied', status: 'BOOKED' });
    expect(l.transition('p1', { kind: 'credit', amount: '1.00' }, { ...request('0.2.0'), note: 'bank charges 0.20' })).toEqual({
      result: 'applied',
      status: 'OVERPAID',
    });
    const { transitions } = l.drain();
    expect(transitions.map((t) => [t.history.from, t.history.to, t.history.amountPaid, t.history.requestId])).toEqual([
      ['INITIAL', 'PARTIALLY_PAID', '10.00', 'statement:imp/0.0.0'],
      ['PARTIALLY_PAID', 'BOOKED', '30.50', 'statement:imp/0.1.0'],
      ['BOOKED', 'OVERPAID', '31.50', 'statement:imp/0.2.0'],
    ]);
    expect(transitions[2]!.history.reason).toMatch(/1.00 more than 30.50 due; bank charges 0.20$/);
    expect(transitions.map((t) => [t.message.topic, t.message.key, t.message.payload.previousStatus, t.message.payload.status])).toEqual([
      ['payments.events.v1', 'case-p1', 'INITIAL', 'PARTIALLY_PAID'],
      ['payments.events.v1', 'case-p1', 'PARTIALLY_PAID', 'BOOKED'],
      ['payments.events.v1', 'case-p1', 'BOOKED', 'OVERPAID'],
    ]);
    expect(l.drain().transitions).toEqual([]);
  });

  it('books a request id once: one the history holds already, or one seen earlier in the chunk, is a duplicate', () => {
    const l = ledger({ payments: [payment('p1')], recorded: [{ paymentId: 'p1', requestId: 'statement:imp/0.0.0' }] });
    expect(l.transition('p1', { kind: 'credit', amount: '30.50' }, request('0.0.0'))).toEqual({ result: 'duplicate', status: 'INITIAL' });
    expect(l.transition('p1', { kind: 'credit', amount: '30.50' }, request('0.1.0'))).toEqual({ result: 'applied', status: 'BOOKED' });
    expect(l.transition('p1', { kind: 'credit', amount: '30.50' }, request('0.1.0'))).toEqual({ result: 'duplicate', status: 'BOOKED' });
    expect(l.transition('p1', { kind: 'provider-status', status: 'BOOKED' }, request('0.2.0'))).toEqual({
      result: 'unchanged',
      status: 'BOOKED',
    });
    expect(l.drain().transitions).toHaveLength(1);
    expect(() => l.transition('p2', { kind: 'credit', amount: '1.00' }, request('0.3.0'))).toThrow(/not among the chunk's locked/);
  });

  it('counts open payments by amount as the chunk leaves them', () => {
    const l = ledger({
      payments: [payment('p1'), payment('p2', { status: 'BOOKED', amountPaid: '30.50' }), payment('p3', { amountDue: '12.00' })],
      openByAmount: [
        { tenantArs: TENANT, amount: '30.5', n: 7 },
        { tenantArs: TENANT, amount: '12.00', n: 1 },
      ],
    });
    expect(l.openWithAmount(TENANT, '30.50')).toBe(7);
    l.transition('p1', { kind: 'credit', amount: '30.50' }, request('0.0.0'));
    expect(l.openWithAmount(TENANT, '30.500')).toBe(6);
    l.transition('p2', { kind: 'return', amount: '10.00' }, request('0.1.0'));
    expect(l.openWithAmount(TENANT, '30.50')).toBe(6);
    l.refresh(payment('p2', { status: 'PARTIALLY_PAID', amountPaid: '20.50' }));
    expect(l.openWithAmount(TENANT, '30.50')).toBe(7);
    expect(l.openWithAmount(TENANT, '12.00')).toBe(1);
    expect(l.openWithAmount('010010000000', '30.50')).toBe(0);
  });

  it('finds the earlier report of the same transaction from another import, once; this chunk’s bookings count too', () => {
    const stored = booking({ importId: 'imp-a', kind: 'camt.054', messageId: 'M-A', accountServicerRef: 'REF-1' });
    const l = ledger({ unpaired: [stored] });
    const again = booking({ importId: 'imp-b', accountServicerRef: 'REF-1' });
    expect(l.earlierReport({ ...again, importId: 'imp-a' })).toBeUndefined();
    expect(l.earlierReport({ ...again, amount: '30.49' })).toBeUndefined();
    expect(l.earlierReport({ ...again, direction: 'DBIT' })).toBeUndefined();
    expect(l.earlierReport({ ...again, paymentId: 'p2' })).toBeUndefined();
    expect(l.earlierReport({ ...again, accountServicerRef: 'REF-2' })).toBeUndefined();
    expect(l.earlierReport({ ...again, amount: '30.500' })).toEqual(stored);
    l.book({ ...again, tenantArs: TENANT, pairedWith: { importId: 'imp-a', kind: 'camt.054', messageId: 'M-A', position: '0.0.0' } });
    expect(l.earlierReport(again)).toBeUndefined();

    // A camt.054 and a camt.053 without bank references, both in this chunk: the 053 item repeats the 054 booking.
    const intraday = booking({ importId: 'imp-c', kind: 'camt.054', paymentId: 'p3', position: '0.0.0' });
    l.book({ ...intraday, tenantArs: TENANT });
    const daily = booking({ importId: 'imp-d', kind: 'camt.053', paymentId: 'p3', position: '0.0.0' });
    expect(l.earlierReport(daily)).toEqual({ ...intraday, tenantArs: TENANT });
    expect(l.earlierReport({ ...daily, kind: 'camt.054' })).toBeUndefined();
    expect(l.drain().bookings.map((b) => [b.importId, b.pairedWith?.importId ?? null])).toEqual([
      ['imp-b', 'imp-a'],
      ['imp-c', null],
    ]);
  });

  it('collects clerk queue entries with their reasons, each with its own id', () => {
    const l = ledger();
    const item = { importId: 'imp', tenantArs: TENANT, kind: 'camt.053', messageId: 'M', position: '0.0.0', item: {} as never };
    l.queue(item, 'no Kassenzeichen');
    l.queue({ ...item, position: '0.1.0' }, 'ambiguous');
    const { queue } = l.drain();
    expect(queue.map((q) => [q.item.position, q.reason])).toEqual([
      ['0.0.0', 'no Kassenzeichen'],
      ['0.1.0', 'ambiguous'],
    ]);
    expect(new Set(queue.map((q) => q.itemId)).size).toBe(2);
  });
});
