import { type InvoiceEmailOriginV1 } from '@poststelle/contracts';

/**
 * What intake verified about the sender of an emailed invoice (`email.sender`): the RFC 5322 From address, the DKIM
 * verdict and the signing domains (`d=`) of the signatures that passed. Invoices forwarded before intake passed it
 * along have none; then no sender counts as authenticated.
 */
export interface SenderEvidence {
  from?: string;
  dkim?: string;
  dkimDomains?: string[];
}

export type ReplyRecipient =
  | { kind: 'send'; to: string; basis: 'dkim-aligned-from' | 'supplier-on-file' }
  | { kind: 'withheld'; reason: string };

/** The sender evidence of an emailed invoice (`email.sender`, verified by intake on receipt). */
export function senderEvidenceOf(email: InvoiceEmailOriginV1): SenderEvidence {
  return email.sender ?? {};
}

const domainOf = (address: string): string | undefined => {
  const at = address.lastIndexOf('@');
  return at > 0
    ? address
        .slice(at + 1)
        .toLowerCase()
        .replace(/\.$/, '')
    : undefined;
};

/**
 * DMARC relaxed alignment without a public-suffix list: the signing domain equals the From domain, or one is a
 * subdomain of the other and the shorter has at least two labels (so `d=com` never aligns with anything).
 */
export function dkimAligned(fromDomain: string, signingDomain: string): boolean {
  const from = fromDomain.toLowerCase();
  const d = signingDomain.toLowerCase().replace(/\.$/, '');
  if (from === d) return true;
  const [shorter, longer] = from.length < d.length ? [from, d] : [d, from];
  return shorter.split('.').length >= 2 && longer.endsWith(`.${shorter}`);
}

/**
 * Who receives the answer to an emailed invoice (issue 12: never an unauthenticated Reply-To). The From address when
 * DKIM passed with a signature aligned to its domain; else the supplier's address on file; else nobody, and the
 * reason is kept for the clerk.
 */
export function replyRecipient(sender: SenderEvidence, supplierOnFile?: string): ReplyRecipient {
  const fromDomain = sender.from ? domainOf(sender.from) : undefined;
  if (sender.from && fromDomain && sender.dkim === 'pass' && (sender.dkimDomains ?? []).some((d) => dkimAligned(fromDomain, d))) {
    return { kind: 'send', to: sender.from, basis: 'dkim-aligned-from' };
  }
  if (supplierOnFile) return { kind: 'send', to: supplierOnFile, basis: 'supplier-on-file' };
  const why = !sender.from
    ? 'intake passed no verified sender (From address and DKIM result)'
    : sender.dkim !== 'pass'
      ? `DKIM did not pass for the sender (${sender.dkim ?? 'no result'})`
      : `no DKIM signature that passed is aligned with the From domain ${fromDomain ?? '?'}`;
  return {
    kind: 'withheld',
    reason: `no answer sent: ${why}, and no supplier address is on file; answers never go to an unauthenticated Reply-To`,
  };
}
