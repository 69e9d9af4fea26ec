import { parseStringPromise, processors } from 'xml2js';
import { isDecimal } from '../domain/money';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';

/** One credit or debit of a statement: a transaction (`TxDtls`) of an entry, or the entry itself when it has none. */
export interface CamtItem {
  /** Position in the message: statement · entry · transaction (0-based), stable across re-imports. */
  position: string;
  statementId: string;
  /** Exactly as in the XML (`8.850`), never through a number. */
  amount: string;
  currency: string;
  direction: 'CRDT' | 'DBIT';
  reversal: boolean;
  status: string | undefined;
  bookingDate: string | undefined;
  /** `RmtInf/Ustrd` lines joined without separator (a Kassenzeichen may be split over lines). */
  remittance: string;
  structuredRefs: string[];
  endToEndId: string | undefined;
  /**
   * The bank's own reference of the transaction (`Refs/AcctSvcrRef`, else the entry's `AcctSvcrRef`): the same in the
   * intraday camt.054 and the day's camt.053, so a credit reported twice is known again.
   */
  accountServicerRef?: string | undefined;
  returnReasonCode: string | undefined;
  /** Charges the bank took for this item, as decimal strings. */
  charges: string[];
  /** Entry is a batch (`Btch/NbOfTxs`) of this many transactions. */
  batchSize: number | undefined;
  debtorName: string | undefined;
}

export interface CamtMessage {
  kind: 'camt.053' | 'camt.054';
  version: string;
  messageId: string;
  statementIds: string[];
  items: CamtItem[];
}

type Node = { _?: string; $?: Record<string, string>; [k: string]: unknown };

const children = (n: unknown, name: string): Node[] =>
  n && typeof n === 'object' && Array.isArray((n as Node)[name]) ? ((n as Node)[name] as unknown[]).map(asNode) : [];
const asNode = (v: unknown): Node => (typeof v === 'string' ? { _: v } : (v as Node));
const child = (n: unknown, ...path: string[]): Node | undefined => {
  let cur: Node | undefined = n as Node;
  for (const name of path) cur = children(cur, name)[0];
  return cur;
};
const text = (n: unknown, ...path: string[]): string | undefined => {
  const v = child(n, ...path)?._;
  return v === undefined ? undefined : v.trim();
};

const unreadable = (message: string): PaymentException => new PaymentException(PaymentErrorCode.StatementUnreadable, message);

function amountOf(node: Node | undefined, where: string): { amount: string; currency: string } | undefined {
  if (!node) return undefined;
  const amount = (node._ ?? '').trim();
  if (!isDecimal(amount) || amount.startsWith('-')) throw unreadable(`${where}: amount '${amount}' is not a decimal amount`);
  return { amount, currency: node.$?.['Ccy'] ?? '' };
}

/** Charges of a transaction or entry: v2/v3 list `Chrgs/Amt`, v4+ `Chrgs/Rcrd/Amt`. */
function chargesOf(n: Node | undefined): string[] {
  return children(n, 'Chrgs')
    .flatMap((c) => [
      ...children(c, 'Amt').map((a) => (a._ ?? '').trim()),
      ...children(c, 'Rcrd').flatMap((r) => children(r, 'Amt').map((a) => (a._ ?? '').trim())),
    ])
    .filter(isDecimal);
}

/**
 * Reads a camt.053 (statement) or camt.054 (debit/credit notification), versions 02 to 08, with a real XML parser
 * (xml2js/sax: no DTD processing; a DOCTYPE is refused before parsing). Numbers are never coerced: amounts and
 * references stay the strings the bank wrote.
 */
export async function parseCamt(xml: string): Promise<CamtMessage> {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw unreadable('the statement contains a DOCTYPE or ENTITY declaration; these are refused (external entities, entity expansion)');
  }
  let doc: Record<string, unknown>;
  try {
    doc = (await parseStringPromise(xml, {
      explicitArray: true,
      strict: true,
      async: false,
      tagNameProcessors: [processors.stripPrefix],
    })) as Record<string, unknown>;
  } catch (error) {
    throw unreadable(`the statement is not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  const root = asNode(doc['Document']);
  const ns = root?.$?.['xmlns'] ?? '';
  const m = /^urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\.001\.(\d{2})$/.exec(ns);
  if (!root || !m) {
    throw new PaymentException(
      PaymentErrorCode.StatementNotCamt,
      `not a camt.053 or camt.054 document: root element Document with namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.02..08 or camt.054.001.02..08 expected, found '${ns || 'no namespace'}'`,
    );
  }
  const kind = m[1] === '053' ? 'camt.053' : 'camt.054';
  const version = m[2]!;
  if (Number(version) < 2 || Number(version) > 8) {
    throw new PaymentException(PaymentErrorCode.StatementNotCamt, `${kind} version ${version} is not supported (02 to 08 are)`);
  }
  const body = child(root, kind === 'camt.053' ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn');
  const messageId = text(body, 'GrpHdr', 'MsgId');
  if (!body || !messageId) throw unreadable(`${kind}: GrpHdr/MsgId is missing`);
  const reports = children(body, kind === 'camt.053' ? 'Stmt' : 'Ntfctn');
  if (reports.length === 0) {
    throw unreadable(`${kind} message ${messageId} has no ${kind === 'camt.053' ? 'Stmt (statement)' : 'Ntfctn (notification)'} element`);
  }
  const items: CamtItem[] = [];
  const statementIds: string[] = [];
  reports.forEach((stmt, s) => {
    const statementId = text(stmt, 'Id');
    if (!statementId) throw unreadable(`${kind} message ${messageId}: statement ${s + 1} has no Id`);
    statementIds.push(statementId);
    children(stmt, 'Ntry').forEach((entry, e) => {
      const where = `statement ${statementId}, entry ${e + 1}`;
      const entryAmount = amountOf(child(entry, 'Amt'), where);
      if (!entryAmount) throw unreadable(`${where}: Amt is missing`);
      const entryDirection = text(entry, 'CdtDbtInd');
      if (entryDirection !== 'CRDT' && entryDirection !== 'DBIT') throw unreadable(`${where}: CdtDbtInd must be CRDT or DBIT`);
      const details = children(entry, 'NtryDtls');
      const batch = details.map((d) => text(d, 'Btch', 'NbOfTxs')).find((v) => v !== undefined);
      const txs = details.flatMap((d) => children(d, 'TxDtls'));
      const common = {
        statementId,
        reversal: text(entry, 'RvslInd') === 'true',
        status: text(entry, 'Sts', 'Cd') ?? text(entry, 'Sts'),
        bookingDate: text(entry, 'BookgDt', 'Dt') ?? text(entry, 'BookgDt', 'DtTm')?.slice(0, 10),
        batchSize: batch !== undefined ? Number(batch) : undefined,
      };
      if (txs.length === 0) {
        items.push({
          ...common,
          position: `${s}.${e}.0`,
          ...entryAmount,
          direction: entryDirection,
          remittance: '',
          structuredRefs: [],
          endToEndId: undefined,
          accountServicerRef: text(entry, 'AcctSvcrRef'),
          returnReasonCode: text(entry, 'RtrInf', 'Rsn', 'Cd'),
          charges: chargesOf(entry),
          debtorName: undefined,
        });
        return;
      }
      const amounts = txs.map(
        (tx, t) =>
          amountOf(child(tx, 'Amt'), `${where}, transaction ${t + 1}`) ??
          amountOf(child(tx, 'AmtDtls', 'TxAmt', 'Amt'), `${where}, transaction ${t + 1}`),
      );
      const read = (tx: Node, t: number, amount: { amount: string; currency: string }): CamtItem => {
        const direction = text(tx, 'CdtDbtInd');
        const rmt = children(tx, 'RmtInf');
        return {
          ...common,
          position: `${s}.${e}.${t}`,
          ...amount,
          direction: direction === 'CRDT' || direction === 'DBIT' ? direction : entryDirection,
          remittance: rmt.flatMap((r) => children(r, 'Ustrd').map((u) => u._ ?? '')).join(''),
          structuredRefs: rmt
            .flatMap((r) => children(r, 'Strd').map((st) => text(st, 'CdtrRefInf', 'Ref')))
            .filter((v): v is string => v !== undefined),
          endToEndId: text(tx, 'Refs', 'EndToEndId'),
          accountServicerRef: text(tx, 'Refs', 'AcctSvcrRef') ?? (txs.length === 1 ? text(entry, 'AcctSvcrRef') : undefined),
          returnReasonCode: text(tx, 'RtrInf', 'Rsn', 'Cd'),
          charges: [...chargesOf(tx), ...(t === 0 ? chargesOf(entry) : [])],
          debtorName: text(tx, 'RltdPties', 'Dbtr', 'Nm') ?? text(tx, 'RltdPties', 'Dbtr', 'Pty', 'Nm'),
        };
      };
      if (txs.length > 1 && amounts.some((a) => a === undefined)) {
        // A batch whose transactions carry no amounts of their own: one item for the entry's total, with every
        // transaction's references (the amount cannot be split honestly).
        const parts = txs.map((tx, t) => read(tx, t, entryAmount));
        items.push({
          ...parts[0]!,
          direction: entryDirection,
          remittance: parts.map((p) => p.remittance).join(' '),
          structuredRefs: parts.flatMap((p) => p.structuredRefs),
        });
        return;
      }
      txs.forEach((tx, t) => items.push(read(tx, t, amounts[t] ?? entryAmount)));
    });
  });
  return { kind, version, messageId, statementIds, items };
}
