import { XRechnungErrorCode, XRechnungException } from '../xrechnung.exception';

/** XRechnung 3.0 (CIUS of EN 16931), BT-24. */
export const XRECHNUNG_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
/** Peppol BIS Billing 3.0 business process, BT-23. */
export const PEPPOL_BILLING_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
/** SEPA credit transfer (UNTDID 4461), BT-81. */
export const SEPA_CREDIT_TRANSFER = '58';

export interface FeeInvoiceAddress {
  street?: string; // BT-35 / BT-50
  postalCode: string; // BT-38 / BT-53
  city: string; // BT-37 / BT-52
  country: string; // BT-40 / BT-55, ISO 3166-1 alpha-2
}

/** The authority issuing the invoice. */
export interface FeeInvoiceSeller {
  name: string; // BT-27
  /** BT-29, e.g. the authority's own Leitweg-ID or creditor id; needed with category O, where BT-31 is forbidden (BR-CO-26). */
  identifier: string;
  address: FeeInvoiceAddress;
  /** BT-34, scheme EM. */
  electronicAddress: string;
  contact: { name: string; phone: string; email: string }; // BT-41..BT-43
  /** BT-31; only when VAT is charged (forbidden with category O, BR-O-02). */
  vatId?: string;
}

/** Who pays the fee. */
export interface FeeInvoiceBuyer {
  name: string; // BT-44
  address: FeeInvoiceAddress;
  /** BT-49, scheme EM. */
  electronicAddress: string;
}

/** VAT treatment of the fee: outside the scope of VAT (O, VATEX-EU-O) or standard rated (S) with a rate in percent. */
export type FeeInvoiceVat = { category: 'O' } | { category: 'S'; rate: string };

export interface FeeInvoiceLine {
  id: string; // BT-126
  name: string; // BT-153
  description?: string; // BT-154
  /** BT-129, a whole number. */
  quantity: string;
  /** BT-130 (UN/ECE Rec 20), e.g. C62 (one). */
  unitCode: string;
  /** BT-146, net price per unit, decimal with 2 places. */
  unitPrice: string;
}

/** Everything a fee invoice says; the generator writes it as UBL or CII, `readFeeInvoice` reads it back. */
export interface FeeInvoice {
  number: string; // BT-1
  issueDate: string; // BT-2, YYYY-MM-DD
  dueDate: string; // BT-9, YYYY-MM-DD
  /** BT-72, YYYY-MM-DD: when the fee's service was rendered (without it, KoSIT warns BR-DE-TMP-32). */
  deliveryDate?: string;
  currency: 'EUR'; // BT-5
  /** BT-10: the buyer's Leitweg-ID or own reference. */
  buyerReference: string;
  note?: string; // BT-22
  paymentTerms: string; // BT-20
  seller: FeeInvoiceSeller;
  buyer: FeeInvoiceBuyer;
  payment: {
    /** BT-83: the Kassenzeichen. */
    remittanceInformation: string;
    iban: string; // BT-84
    accountName?: string; // BT-85
    bic?: string; // BT-86
  };
  vat: FeeInvoiceVat;
  lines: FeeInvoiceLine[];
}

/** Document totals (BG-22) and the VAT breakdown (BG-23), as written in the invoice. */
export interface FeeInvoiceTotals {
  lineTotal: string; // BT-106
  taxExclusive: string; // BT-109
  vatTotal: string; // BT-110
  taxInclusive: string; // BT-112
  payable: string; // BT-115
  lineAmounts: string[]; // BT-131 per line
  breakdown: {
    taxableAmount: string; // BT-116
    taxAmount: string; // BT-117
    category: 'O' | 'S'; // BT-118
    rate: string; // BT-119
    exemptionReasonCode?: string; // BT-121
  };
}

const MONEY = /^\d{1,10}(\.\d{1,2})?$/;
const RATE = /^\d{1,2}(\.\d{1,2})?$/;
const QUANTITY = /^[1-9]\d{0,5}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const invalid = (message: string): XRechnungException => new XRechnungException(XRechnungErrorCode.InvalidInvoiceModel, message);

const toCents = (amount: string): number => {
  const [whole, frac = ''] = amount.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
};
const fromCents = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** Normalises an amount to two decimals ("25" → "25.00"). */
export const money = (amount: string): string => fromCents(toCents(amount));

/** Checks what the rules cannot check about the model itself (shapes, the O/S VAT id rules) before writing XML. */
export function checkFeeInvoice(inv: FeeInvoice): void {
  if (!inv.number.trim()) throw invalid('number (BT-1) is empty');
  if (![inv.issueDate, inv.dueDate, inv.deliveryDate ?? inv.issueDate].every((d) => DATE.test(d))) {
    throw invalid('issueDate, dueDate and deliveryDate must be YYYY-MM-DD');
  }
  if (inv.lines.length === 0) throw invalid('an invoice needs at least one line');
  for (const line of inv.lines) {
    if (!MONEY.test(line.unitPrice)) throw invalid(`line ${line.id}: unitPrice must be a decimal with at most 2 places`);
    if (!QUANTITY.test(line.quantity)) throw invalid(`line ${line.id}: quantity must be a positive whole number`);
  }
  if (inv.vat.category === 'O' && inv.seller.vatId)
    throw invalid('a fee outside the scope of VAT (O) must not carry a seller VAT id (BR-O-02)');
  if (inv.vat.category === 'S') {
    if (!inv.seller.vatId) throw invalid('a fee subject to VAT (S) needs the seller VAT id (BR-S-02)');
    if (!RATE.test(inv.vat.rate) || Number(inv.vat.rate) <= 0) throw invalid('the VAT rate of category S must be a positive percentage');
  }
}

/** Line amounts, the VAT breakdown and the document totals, computed in cents (no floating-point drift). */
export function computeTotals(inv: FeeInvoice): FeeInvoiceTotals {
  const lineCents = inv.lines.map((l) => Number(l.quantity) * toCents(l.unitPrice));
  const net = lineCents.reduce((a, b) => a + b, 0);
  const rateHundredths = inv.vat.category === 'S' ? toCents(inv.vat.rate) : 0; // 19 → 1900
  const vat = Math.round((net * rateHundredths) / 10000);
  return {
    lineTotal: fromCents(net),
    taxExclusive: fromCents(net),
    vatTotal: fromCents(vat),
    taxInclusive: fromCents(net + vat),
    payable: fromCents(net + vat),
    lineAmounts: lineCents.map(fromCents),
    breakdown:
      inv.vat.category === 'S'
        ? { taxableAmount: fromCents(net), taxAmount: fromCents(vat), category: 'S', rate: inv.vat.rate }
        : { taxableAmount: fromCents(net), taxAmount: fromCents(0), category: 'O', rate: '0', exemptionReasonCode: 'VATEX-EU-O' },
  };
}
