/** Builds camt.053.001.08 statements for tests and the bench (amounts as the decimal strings given). */
export interface CamtTx {
  amount: string;
  direction?: 'CRDT' | 'DBIT';
  /** Remittance lines (`RmtInf/Ustrd`, one element each). */
  ustrd?: string[];
  structuredRef?: string;
  endToEndId?: string;
  returnReason?: string;
  charges?: string;
  currency?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function tx(t: CamtTx): string {
  return `<TxDtls><Refs><EndToEndId>${esc(t.endToEndId ?? 'NOTPROVIDED')}</EndToEndId></Refs>
<Amt Ccy="${t.currency ?? 'EUR'}">${t.amount}</Amt><CdtDbtInd>${t.direction ?? 'CRDT'}</CdtDbtInd>${
    t.charges ? `<Chrgs><Rcrd><Amt Ccy="EUR">${t.charges}</Amt><CdtDbtInd>DBIT</CdtDbtInd></Rcrd></Chrgs>` : ''
  }<RltdPties><Dbtr><Pty><Nm>Erika Mustermann</Nm></Pty></Dbtr></RltdPties>
<RmtInf>${(t.ustrd ?? []).map((u) => `<Ustrd>${esc(u)}</Ustrd>`).join('')}${
    t.structuredRef ? `<Strd><CdtrRefInf><Ref>${esc(t.structuredRef)}</Ref></CdtrRefInf></Strd>` : ''
  }</RmtInf>${t.returnReason ? `<RtrInf><Rsn><Cd>${t.returnReason}</Cd></Rsn></RtrInf>` : ''}</TxDtls>`;
}

/** One statement; each element of `entries` is an entry, a batch (`Btch`) when it has several transactions. */
export function camt053(messageId: string, statementId: string, entries: CamtTx[][]): string {
  const ntry = entries
    .map((txs) => {
      const total = txs.map((t) => t.amount).reduce((a, b) => (Number(a) + Number(b)).toFixed(2), '0');
      const batch = txs.length > 1 ? `<Btch><NbOfTxs>${txs.length}</NbOfTxs></Btch>` : '';
      return `<Ntry><Amt Ccy="${txs[0]!.currency ?? 'EUR'}">${txs.length > 1 ? total : txs[0]!.amount}</Amt><CdtDbtInd>${txs[0]!.direction ?? 'CRDT'}</CdtDbtInd>
<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt><NtryDtls>${batch}${txs.map(tx).join('')}</NtryDtls></Ntry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2026-12-01T18:00:00+01:00</CreDtTm></GrpHdr>
<Stmt><Id>${statementId}</Id><CreDtTm>2026-12-01T18:00:00+01:00</CreDtTm><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id></Acct>
${ntry}
</Stmt></BkToCstmrStmt></Document>`;
}
