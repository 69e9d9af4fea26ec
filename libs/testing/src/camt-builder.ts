import { formatKassenzeichen } from '@poststelle/contracts';

/** Builds camt.053.001.08 statements and camt.054.001.08 notifications for tests and the bench (amounts as given). */
export interface CamtTx {
  amount: string;
  direction?: 'CRDT' | 'DBIT';
  /** Remittance lines (`RmtInf/Ustrd`, one element each). */
  ustrd?: string[];
  structuredRef?: string;
  endToEndId?: string;
  /** The bank's reference (`Refs/AcctSvcrRef`), the same in a camt.054 and the day's camt.053. */
  acctSvcrRef?: string;
  returnReason?: string;
  charges?: string;
  currency?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function tx(t: CamtTx): string {
  const ref = t.acctSvcrRef ? `<AcctSvcrRef>${esc(t.acctSvcrRef)}</AcctSvcrRef>` : '';
  return `<TxDtls><Refs>${ref}<EndToEndId>${esc(t.endToEndId ?? 'NOTPROVIDED')}</EndToEndId></Refs>
<Amt Ccy="${t.currency ?? 'EUR'}">${t.amount}</Amt><CdtDbtInd>${t.direction ?? 'CRDT'}</CdtDbtInd>${
    t.charges ? `<Chrgs><Rcrd><Amt Ccy="EUR">${t.charges}</Amt><CdtDbtInd>DBIT</CdtDbtInd></Rcrd></Chrgs>` : ''
  }<RltdPties><Dbtr><Pty><Nm>Erika Mustermann</Nm></Pty></Dbtr></RltdPties>
<RmtInf>${(t.ustrd ?? []).map((u) => `<Ustrd>${esc(u)}</Ustrd>`).join('')}${
    t.structuredRef ? `<Strd><CdtrRefInf><Ref>${esc(t.structuredRef)}</Ref></CdtrRefInf></Strd>` : ''
  }</RmtInf>${t.returnReason ? `<RtrInf><Rsn><Cd>${t.returnReason}</Cd></Rsn></RtrInf>` : ''}</TxDtls>`;
}

function entriesXml(entries: CamtTx[][]): string {
  return entries
    .map((txs) => {
      const total = txs.map((t) => t.amount).reduce((a, b) => (Number(a) + Number(b)).toFixed(2), '0');
      const batch = txs.length > 1 ? `<Btch><NbOfTxs>${txs.length}</NbOfTxs></Btch>` : '';
      return `<Ntry><Amt Ccy="${txs[0]!.currency ?? 'EUR'}">${txs.length > 1 ? total : txs[0]!.amount}</Amt><CdtDbtInd>${txs[0]!.direction ?? 'CRDT'}</CdtDbtInd>
<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt><NtryDtls>${batch}${txs.map(tx).join('')}</NtryDtls></Ntry>`;
    })
    .join('\n');
}

function message(kind: '053' | '054', messageId: string, reportId: string, entries: CamtTx[][]): string {
  const [body, report, at] =
    kind === '053'
      ? ['BkToCstmrStmt', 'Stmt', '2026-12-01T18:00:00+01:00']
      : ['BkToCstmrDbtCdtNtfctn', 'Ntfctn', '2026-12-01T11:00:00+01:00'];
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.08"><${body}><GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>${at}</CreDtTm></GrpHdr>
<${report}><Id>${reportId}</Id><CreDtTm>${at}</CreDtTm><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id></Acct>
${entriesXml(entries)}
</${report}></${body}></Document>`;
}

/** One statement; each element of `entries` is an entry, a batch (`Btch`) when it has several transactions. */
export function camt053(messageId: string, statementId: string, entries: CamtTx[][]): string {
  return message('053', messageId, statementId, entries);
}

/** One intraday debit/credit notification (camt.054), entries as for {@link camt053}. */
export function camt054(messageId: string, notificationId: string, entries: CamtTx[][]): string {
  return message('054', messageId, notificationId, entries);
}

/** A Kassenzeichen in the format payment issues (`RRRRR-YYYY-NNNNNNN-C`), here from a running number of the test. */
export function kassenzeichenOf(tenantArs: string, seq: number, year = 2026): string {
  return formatKassenzeichen(tenantArs, year, seq);
}

/**
 * A large statement: `entries` single credits of 12.34 EUR; every 20th names no Kassenzeichen (it goes to the clerk
 * queue), the others carry one (split over two Ustrd lines, or as structured reference). Returns the Kassenzeichen
 * the matching entries name (one per payment to seed).
 */
export function largeStatement(
  messageId: string,
  tenantArs: string,
  entries: number,
  seqBase = 9000000,
): { xml: string; matching: string[] } {
  const matching: string[] = [];
  const rows: CamtTx[][] = [];
  for (let i = 0; i < entries; i += 1) {
    if (i % 20 === 19) {
      rows.push([{ amount: '12.34', ustrd: [`UNKNOWN PAYER ${i}`] }]);
      continue;
    }
    const kz = kassenzeichenOf(tenantArs, seqBase + i);
    matching.push(kz);
    rows.push([
      i % 2 === 0 ? { amount: '12.34', ustrd: [`GEBUEHR ${kz.slice(0, 11)}`, kz.slice(11)] } : { amount: '12.34', structuredRef: kz },
    ]);
  }
  return { xml: camt053(messageId, `${messageId}-S1`, rows), matching };
}

/**
 * Test set-up only: open payments of 12.34 EUR for the given Kassenzeichen, written straight into payment's table
 * (10,000 cases through intake would take minutes; the import under test reads them like any other payment).
 */
export async function seedOpenPayments(
  db: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  tenantArs: string,
  kassenzeichen: string[],
): Promise<void> {
  await db.query(
    `INSERT INTO payment.payments (payment_id, case_id, fee_id, tenant_ars, leika_key, kassenzeichen, amount_due, policy, booking_text, status)
     SELECT id, gen_random_uuid(), id, $1, '99050012104000', kz, 12.34, 'deferred', 'BENCH', 'INITIAL'
       FROM (SELECT gen_random_uuid() AS id, kz FROM unnest($2::text[]) AS kz) seeded`,
    [tenantArs, kassenzeichen],
  );
}
