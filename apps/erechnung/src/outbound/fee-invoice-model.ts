import { type FeeEventV1 } from '@poststelle/contracts';
import { type FeeInvoice } from '@poststelle/xrechnung';

/** The authority issuing fee invoices for a tenant (`erechnung.invoice_issuers`). */
export interface InvoiceIssuer {
  tenantArs: string;
  name: string;
  sellerIdentifier: string;
  street: string | null;
  postalCode: string;
  city: string;
  country: string;
  electronicAddress: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  iban: string;
  bic: string | null;
  accountName: string | null;
  vatId: string | null;
  paymentDays: number;
  numberPrefix: string;
}

/** Fee billed by invoice: the applicant chose `INVOICE`, or a legal person has not chosen a payment method. */
export function billedByInvoice(fee: Pick<FeeEventV1, 'kind' | 'paymentMethod' | 'payer'>): boolean {
  return fee.kind === 'fee.due' && (fee.paymentMethod === 'INVOICE' || (fee.paymentMethod === undefined && fee.payer?.kind === 'legal'));
}

/** BT-1 from the tenant's running number: prefix + six digits, e.g. `RE-000042`. */
export const invoiceNumber = (prefix: string, sequence: number): string => `${prefix}${String(sequence).padStart(6, '0')}`;

/** The calendar date in Germany (YYYY-MM-DD), plus `days`. */
export function germanDate(at: Date, days = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(at); // en-CA formats as YYYY-MM-DD
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export type FeeInvoiceDraft = { ok: true; invoice: Omit<FeeInvoice, 'number'> } | { ok: false; missing: string[] };

/**
 * The invoice for a fee, without its number (allocated only when it is released). Fees are sovereign acts outside
 * the scope of VAT: category O with VATEX-EU-O and no seller VAT id. Lists what is missing instead when the issuer
 * or the buyer data cannot make a valid XRechnung.
 */
export function draftFeeInvoice(fee: FeeEventV1, issuer: InvoiceIssuer | undefined, at: Date): FeeInvoiceDraft {
  const missing: string[] = [];
  if (!issuer) missing.push('issuer (PUT /v1/admin/invoice-issuers/{tenantArs})');
  if (!fee.kassenzeichen) missing.push('kassenzeichen');
  const payer = fee.payer;
  if (!payer) missing.push('payer');
  else {
    if (!payer.address) missing.push('payer.address');
    if (!payer.email) missing.push('payer.email');
  }
  if (!issuer || !fee.kassenzeichen || !payer?.address || !payer.email || missing.length > 0) return { ok: false, missing };
  const street = [payer.address.street, payer.address.houseNumber].filter((s) => s?.trim()).join(' ');
  return {
    ok: true,
    invoice: {
      issueDate: germanDate(at),
      dueDate: germanDate(at, issuer.paymentDays),
      deliveryDate: germanDate(new Date(fee.recordedAt)), // the fee arose when the routed case was assessed
      currency: 'EUR',
      buyerReference: payer.reference ?? fee.kassenzeichen,
      note: `Gebühr für Vorgang ${fee.caseId}`,
      paymentTerms: `Zahlbar innerhalb von ${issuer.paymentDays} Tagen ohne Abzug. Bitte geben Sie als Verwendungszweck das Kassenzeichen ${fee.kassenzeichen} an.`,
      seller: {
        name: issuer.name,
        identifier: issuer.sellerIdentifier,
        address: {
          ...(issuer.street ? { street: issuer.street } : {}),
          postalCode: issuer.postalCode,
          city: issuer.city,
          country: issuer.country,
        },
        electronicAddress: issuer.electronicAddress,
        contact: { name: issuer.contactName, phone: issuer.contactPhone, email: issuer.contactEmail },
      },
      buyer: {
        name: payer.name,
        address: {
          ...(street ? { street } : {}),
          postalCode: payer.address.postalCode,
          city: payer.address.city,
          country: payer.address.country ?? 'DE',
        },
        electronicAddress: payer.email,
      },
      payment: {
        remittanceInformation: fee.kassenzeichen,
        iban: issuer.iban,
        ...(issuer.accountName ? { accountName: issuer.accountName } : {}),
        ...(issuer.bic ? { bic: issuer.bic } : {}),
      },
      vat: { category: 'O' },
      lines: [
        {
          id: '1',
          name: fee.bookingText ? `Verwaltungsgebühr ${fee.bookingText}` : 'Verwaltungsgebühr',
          description: `Leistung ${fee.leikaKey} (LeiKa)`,
          quantity: '1',
          unitCode: 'C62',
          unitPrice: fee.amount,
        },
      ],
    },
  };
}
