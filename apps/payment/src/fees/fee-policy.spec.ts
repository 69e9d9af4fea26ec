import { type CaseV1 } from '@poststelle/contracts';
import { billedByInvoice, feePayer, pickFee, type FeeRow } from './fee-policy';

describe('fee schedule', () => {
  const row = (arsPrefix: string, version: number, validFrom: string, bookingText: string): FeeRow => ({
    arsPrefix,
    version,
    validFrom,
    bookingText,
    amount: '30.00',
    policy: 'deferred',
  });
  const rows = [
    row('12', 1, '2020-01-01T00:00:00Z', 'LAND'),
    row('12054', 1, '2020-01-01T00:00:00Z', 'POTSDAM'),
    row('12054', 2, '2030-01-01T00:00:00Z', 'POTSDAM AB 2030'),
  ];
  it('uses the most specific region entry in effect, its latest version', () => {
    const at = new Date('2026-06-01T00:00:00Z');
    expect(pickFee('120540000000', rows, at)?.bookingText).toBe('POTSDAM');
    expect(pickFee('120540000000', rows, new Date('2030-06-01T00:00:00Z'))?.bookingText).toBe('POTSDAM AB 2030');
    expect(pickFee('120600000000', rows, at)?.bookingText).toBe('LAND');
    expect(pickFee('050000000000', rows, at)).toBeUndefined();
  });
});

describe('who is billed by invoice', () => {
  type Kase = Pick<CaseV1, 'applicant' | 'paymentInformation' | 'replyChannel' | 'senderReference'>;
  const payment = (paymentMethod: 'INVOICE' | 'PAYPAL'): CaseV1['paymentInformation'] => ({
    transactionReference: 'KZ-1',
    transactionId: 'tx-1',
    paymentMethod,
    status: 'INITIAL',
    grossAmount: '25.00',
  });
  const business: Kase = {
    applicant: { kind: 'legal', organisation: 'Muster GmbH', address: { postalCode: '14467', city: 'Potsdam' } },
    replyChannel: { eMail: { address: 'rechnung@muster.example' } },
    senderReference: '04011000-12345-03',
  };
  const citizen: Kase = {
    applicant: { kind: 'natural', givenName: 'Erika', familyName: 'Mustermann', email: 'erika@example.org' },
    replyChannel: {},
  };

  it('bills INVOICE payers and legal persons without a payment method, nobody else', () => {
    expect(billedByInvoice(business)).toBe(true);
    expect(billedByInvoice({ ...business, paymentInformation: payment('PAYPAL') })).toBe(false);
    expect(billedByInvoice(citizen)).toBe(false);
    expect(billedByInvoice({ ...citizen, paymentInformation: payment('INVOICE') })).toBe(true);
  });

  it('carries name, email (reply channel as fallback), address and reference only for those', () => {
    expect(feePayer(business)).toEqual({
      kind: 'legal',
      name: 'Muster GmbH',
      email: 'rechnung@muster.example',
      address: { postalCode: '14467', city: 'Potsdam' },
      reference: '04011000-12345-03',
    });
    expect(feePayer({ ...citizen, paymentInformation: payment('INVOICE') })).toEqual({
      kind: 'natural',
      name: 'Erika Mustermann',
      email: 'erika@example.org',
    });
    expect(feePayer(citizen)).toBeUndefined();
    expect(feePayer({ ...business, applicant: { kind: 'legal' } })).toBeUndefined();
  });
});
