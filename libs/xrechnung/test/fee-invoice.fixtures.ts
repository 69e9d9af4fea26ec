import { type FeeInvoice } from '../src/generate/fee-invoice';

/** A Stadt Bremen fee billed to a business, outside the scope of VAT (category O). */
export const feeInvoiceO = (overrides: Partial<FeeInvoice> = {}): FeeInvoice => ({
  number: 'RE-040110000000-2026-1',
  issueDate: '2026-11-30',
  dueDate: '2026-12-30',
  deliveryDate: '2026-11-27',
  currency: 'EUR',
  buyerReference: '04011000-12345-03',
  note: 'Gebühr für Vorgang 3f1c2a4e-9a3b-4c5d-8e7f-0a1b2c3d4e5f',
  paymentTerms: 'Zahlbar innerhalb von 30 Tagen ohne Abzug. Bitte geben Sie das Kassenzeichen an.',
  seller: {
    name: 'Freie Hansestadt Bremen, Stadtamt',
    identifier: '04011000-99999-44',
    address: { street: 'Stresemannstraße 48', postalCode: '28207', city: 'Bremen', country: 'DE' },
    electronicAddress: 'rechnungsausgang@stadtamt.bremen.de',
    contact: { name: 'Kasse Stadtamt', phone: '+49 421 361-0', email: 'kasse@stadtamt.bremen.de' },
  },
  buyer: {
    name: 'Muster & Söhne GmbH',
    address: { street: 'Am Markt 1', postalCode: '28195', city: 'Bremen', country: 'DE' },
    electronicAddress: 'buchhaltung@muster-soehne.example',
  },
  payment: {
    remittanceInformation: '04011-2026-000042',
    iban: 'DE75512108001245126199',
    accountName: 'Landeshauptkasse Bremen',
    bic: 'SOLADEST600',
  },
  vat: { category: 'O' },
  lines: [{ id: '1', name: 'Gewerbeanmeldung', description: 'LeiKa 99050012104000', quantity: '1', unitCode: 'C62', unitPrice: '26.00' }],
  ...overrides,
});

/** A minimal variant: no street, no note, no BIC or account name, no description; two lines. */
export const feeInvoiceMinimal = (): FeeInvoice => {
  const { note: _note, deliveryDate: _deliveryDate, ...base } = feeInvoiceO();
  return {
    ...base,
    number: '7',
    buyerReference: 'Bestellung 4711 <Einkauf>',
    seller: { ...base.seller, address: { postalCode: '10115', city: 'Berlin', country: 'DE' } },
    buyer: { ...base.buyer, name: 'Ärztekammer "Nord" & Partner', address: { postalCode: '20095', city: 'Hamburg', country: 'DE' } },
    payment: { remittanceInformation: 'KZ 11000-2026-000001', iban: 'DE02120300000000202051' },
    lines: [
      { id: '1', name: 'Auskunft aus dem Gewerberegister', quantity: '3', unitCode: 'C62', unitPrice: '13.33' },
      { id: '2', name: 'Auslagen', quantity: '1', unitCode: 'C62', unitPrice: '4.50' },
    ],
  };
};

/** A fee subject to VAT (category S, 19 %), which needs the seller VAT id. */
export const feeInvoiceS = (): FeeInvoice => {
  const base = feeInvoiceO();
  return {
    ...base,
    number: 'RE-2026-000123',
    seller: { ...base.seller, vatId: 'DE123456789' },
    vat: { category: 'S', rate: '19' },
    lines: [{ id: '1', name: 'Vermietung Veranstaltungsraum', quantity: '2', unitCode: 'C62', unitPrice: '99.99' }],
  };
};
