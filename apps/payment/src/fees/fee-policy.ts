import { arsPrefixes, type CaseV1, type FeePayerV1, type FeePolicy } from '@poststelle/contracts';

export type SchedulePolicy = Exclude<FeePolicy, 'before-processing'>;

export interface FeeRow {
  arsPrefix: string;
  version: number;
  amount: string;
  policy: SchedulePolicy;
  bookingText: string;
  validFrom: string;
}

/**
 * The fee schedule entry for a tenant: among the versions in effect (valid from now or earlier, latest version per
 * prefix), the most specific ARS prefix wins, as for routing.
 */
export function pickFee(ars: string, rows: FeeRow[], at: Date = new Date()): FeeRow | undefined {
  for (const prefix of arsPrefixes(ars)) {
    const current = rows.filter((r) => r.arsPrefix === prefix && new Date(r.validFrom) <= at).sort((a, b) => b.version - a.version)[0];
    if (current) return current;
  }
  return undefined;
}

/** The API accepts the former policy name `before-processing` for `mandatory-before-processing`. */
export function canonicalPolicy(policy: FeePolicy): SchedulePolicy {
  return policy === 'before-processing' ? 'mandatory-before-processing' : policy;
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
