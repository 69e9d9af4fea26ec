import { type FeeEventV1 } from '@poststelle/contracts';
import { draftFeeInvoice, germanDate, invoiceNumber, billedByInvoice, type InvoiceIssuer } from './fee-invoice-model';
import { ibanValid } from './invoice-issuers.controller';
import { representationOf } from './outbound-invoices.controller';

const issuer: InvoiceIssuer = {
  tenantArs: '120540000000',
  name: 'Landeshauptstadt Potsdam',
  sellerIdentifier: '12054000-00001-51',
  street: 'Friedrich-Ebert-Straße 79/81',
  postalCode: '14469',
  city: 'Potsdam',
  country: 'DE',
  electronicAddress: 'rechnung@potsdam.example',
  contactName: 'Stadtkasse',
  contactPhone: '+49 331 289-0',
  contactEmail: 'stadtkasse@potsdam.example',
  iban: 'DE75512108001245126199',
  bic: null,
  accountName: null,
  vatId: null,
  paymentDays: 14,
  numberPrefix: 'RE-',
};

const fee: FeeEventV1 = {
  kind: 'fee.due',
  caseId: '3f1c2a4e-9a3b-4c5d-8e7f-0a1b2c3d4e5f',
  feeId: '6a1c2a4e-9a3b-4c5d-8e7f-0a1b2c3d4e5f',
  tenantArs: '120540000000',
  leikaKey: '99050012104000',
  amount: '30.70',
  currency: 'EUR',
  kassenzeichen: '12054-2026-000042',
  bookingText: 'BEWOHNERPARKEN',
  policy: 'before-processing',
  payer: {
    kind: 'legal',
    name: 'Muster GmbH',
    email: 'rechnung@muster.example',
    address: { street: 'Am Markt', houseNumber: '1', postalCode: '14467', city: 'Potsdam' },
  },
  recordedAt: '2026-11-30T10:00:00Z',
};

describe('fee invoice model', () => {
  it('bills INVOICE and legal persons without a payment method', () => {
    expect(billedByInvoice(fee)).toBe(true);
    expect(billedByInvoice({ ...fee, paymentMethod: 'CREDITCARD' })).toBe(false);
    expect(billedByInvoice({ ...fee, payer: { ...fee.payer!, kind: 'natural' } })).toBe(false);
    expect(billedByInvoice({ ...fee, payer: undefined, paymentMethod: 'INVOICE' })).toBe(true);
    expect(billedByInvoice({ ...fee, kind: 'fee.not-required' })).toBe(false);
  });

  it('drafts a category O invoice: Kassenzeichen as remittance text and BT-10 fallback, due after the payment days (German date)', () => {
    const draft = draftFeeInvoice(fee, issuer, new Date('2026-12-31T23:30:00Z')); // already 1 January in Germany
    if (!draft.ok) throw new Error(draft.missing.join());
    expect(draft.invoice).toMatchObject({
      issueDate: '2027-01-01',
      dueDate: '2027-01-15',
      deliveryDate: '2026-11-30',
      buyerReference: '12054-2026-000042',
      vat: { category: 'O' },
      payment: { remittanceInformation: '12054-2026-000042', iban: issuer.iban },
      buyer: { name: 'Muster GmbH', address: { street: 'Am Markt 1', postalCode: '14467', city: 'Potsdam', country: 'DE' } },
      lines: [{ name: 'Verwaltungsgebühr BEWOHNERPARKEN', unitPrice: '30.70', quantity: '1' }],
    });
    expect(draft.invoice.seller).not.toHaveProperty('vatId');
  });

  it('lists what is missing instead of drafting', () => {
    expect(draftFeeInvoice({ ...fee, kassenzeichen: undefined, payer: { kind: 'legal', name: 'X' } }, undefined, new Date())).toEqual({
      ok: false,
      missing: ['issuer (PUT /v1/admin/invoice-issuers/{tenantArs})', 'kassenzeichen', 'payer.address', 'payer.email'],
    });
  });

  it('numbers as prefix + six digits, dates in Germany', () => {
    expect(invoiceNumber('RE-', 42)).toBe('RE-000042');
    expect(germanDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(germanDate(new Date('2026-02-27T12:00:00Z'), 2)).toBe('2026-03-01');
  });

  it('checks IBAN check digits (ISO 13616)', () => {
    expect(ibanValid('DE75512108001245126199')).toBe(true);
    expect(ibanValid('DE02120300000000202051')).toBe(true);
    expect(ibanValid('DE75512108001245126198')).toBe(false);
    expect(ibanValid('de75512108001245126199')).toBe(false);
  });

  it('serves UBL by default, CII, HTML or JSON on request', () => {
    expect(representationOf(undefined, undefined)).toBe('ubl');
    expect(representationOf(undefined, 'application/xml')).toBe('ubl');
    expect(representationOf(undefined, 'text/html,application/xhtml+xml')).toBe('html');
    expect(representationOf('cii', 'text/html')).toBe('cii');
    expect(() => representationOf('pdf', undefined)).toThrow(/format must be/);
  });
});
