import { type CaseV1 } from '@poststelle/contracts';
import { billedByInvoice, feePayer, kassenzeichen, pickFee, type FeeRow } from './fee-policy';

describe('fee schedule', () => {
  const rows: FeeRow[] = [
    { arsPrefix: '12', amount: '30.00', policy: 'before-processing', bookingText: 'LAND' },
    { arsPrefix: '12054', amount: '25.00', policy: 'deferred', bookingText: 'POTSDAM' },
  ];
  it('uses the most specific region entry', () => {
    expect(pickFee('120540000000', rows)?.bookingText).toBe('POTSDAM');
    expect(pickFee('120600000000', rows)?.bookingText).toBe('LAND');
    expect(pickFee('050000000000', rows)).toBeUndefined();
  });
  it('formats the Kassenzeichen as region · year · number', () => {
    expect(kassenzeichen('120540000000', 2026, 42)).toBe('12054-2026-000042');
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
