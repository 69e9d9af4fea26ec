import { arsPrefixes, type CaseV1, type FeePayerV1 } from '@poststelle/contracts';

export interface FeeRow {
  arsPrefix: string;
  amount: string;
  policy: 'none' | 'optional' | 'before-processing' | 'deferred';
  bookingText: string;
}

/** The fee schedule entry for a region: the most specific ARS prefix wins, as for routing. */
export function pickFee(ars: string, rows: FeeRow[]): FeeRow | undefined {
  for (const prefix of arsPrefixes(ars)) {
    const row = rows.find((r) => r.arsPrefix === prefix);
    if (row) return row;
  }
  return undefined;
}

/** Kassenzeichen: authority region (5 digits: Land, RB, Kreis) · year · running number, e.g. 12060-2026-000042. */
export function kassenzeichen(ars: string, year: number, seq: number): string {
  return `${ars.slice(0, 5)}-${year}-${String(seq).padStart(6, '0')}`;
}

/** A fee is billed by invoice when the applicant chose `INVOICE`, or when a legal person has not chosen a method. */
export function billedByInvoice(kase: Pick<CaseV1, 'applicant' | 'paymentInformation'>): boolean {
  const method = kase.paymentInformation?.paymentMethod;
  return method === 'INVOICE' || (method === undefined && kase.applicant.kind === 'legal');
}

/**
 * The buyer of the invoice, only for a fee billed by invoice (no personal data leaves payment otherwise). Absent when
 * the applicant has no name at all: erechnung then records that it cannot issue the invoice.
 */
export function feePayer(
  kase: Pick<CaseV1, 'applicant' | 'paymentInformation' | 'replyChannel' | 'senderReference'>,
): FeePayerV1 | undefined {
  if (!billedByInvoice(kase)) return undefined;
  const a = kase.applicant;
  const person = [a.givenName, a.familyName].filter((p) => p?.trim()).join(' ');
  const name = (a.kind === 'legal' ? a.organisation?.trim() || person : person || a.organisation?.trim()) ?? '';
  if (!name) return undefined;
  const email = a.email ?? kase.replyChannel.eMail?.address;
  return {
    kind: a.kind,
    name,
    ...(email ? { email } : {}),
    ...(a.address ? { address: a.address } : {}),
    ...(kase.senderReference ? { reference: kase.senderReference } : {}),
  };
}
