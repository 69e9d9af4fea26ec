import { createHash, createHmac } from 'node:crypto';

/** `prev_hash` of a file's first journal entry. */
export const GENESIS = '0'.repeat(64);

export interface JournalEntryContent {
  fileId: string;
  entryId: string;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  prevHash: string;
}

export interface StoredJournalEntry extends JournalEntryContent {
  seq: number;
  hash: string;
}

export type ProblemCode =
  | 'JOURNAL_ENTRY_ALTERED'
  | 'JOURNAL_ENTRY_REMOVED'
  | 'JOURNAL_ENTRY_INSERTED'
  | 'JOURNAL_ENTRIES_REORDERED'
  | 'JOURNAL_HEAD_MISMATCH'
  | 'JOURNAL_MISSING'
  | 'DIGEST_HEAD_MISSING'
  | 'DOCUMENT_ALTERED'
  | 'DOCUMENT_MISSING'
  | 'DOCUMENT_RECORD_ALTERED'
  | 'DOCUMENT_RECORD_REMOVED'
  | 'DOCUMENT_UNJOURNALED';

/** One finding of verify: what was altered, removed, inserted or reordered, down to the entry or document. */
export interface Problem {
  code: ProblemCode;
  detail: string;
  entry?: number;
  entries?: number[];
  documentId?: string;
  formatId?: string;
}

/** Keys sorted at every level, no whitespace: the bytes an entry's hash is computed over. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** SHA-256 (or HMAC-SHA256 with the operator's key) over the canonical JSON of the entry and its predecessor's hash. */
export function entryHash(entry: JournalEntryContent, key?: string): string {
  const payload = canonicalJson({
    v: 1,
    fileId: entry.fileId,
    entryId: entry.entryId,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    detail: entry.detail,
    prevHash: entry.prevHash,
  });
  return key ? createHmac('sha256', key).update(payload).digest('hex') : createHash('sha256').update(payload).digest('hex');
}

const label = (e: StoredJournalEntry) => `#${e.seq} (${e.action}, ${e.at})`;

/**
 * Recomputes a file's journal. The chain is followed back from the recorded head through each entry's `prevHash`;
 * entries off that chain were inserted, links that lead nowhere mean removed entries, entries whose content no longer
 * matches their hash were altered, and chain order differing from stored order means reordering.
 */
export function verifyChain(entries: StoredJournalEntry[], recordedHead: string | null, key?: string): Problem[] {
  const problems: Problem[] = [];
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  const byHash = new Map<string, StoredJournalEntry>();
  for (const e of sorted) if (!byHash.has(e.hash)) byHash.set(e.hash, e);
  const referenced = new Set(sorted.map((e) => e.prevHash));
  const intact = (e: StoredJournalEntry) => entryHash(e, key) === e.hash;
  const visited = new Set<StoredJournalEntry>();
  const chain: StoredJournalEntry[] = [];

  /** The last entry before a gap: not referenced by any entry, not yet on the chain, below `seq`, intact first. */
  const danglingBelow = (seq: number): StoredJournalEntry | undefined => {
    const candidates = sorted.filter((e) => !visited.has(e) && !referenced.has(e.hash) && e.seq < seq);
    return candidates.filter(intact).pop() ?? candidates.pop();
  };

  let cur: StoredJournalEntry | undefined;
  if (recordedHead) {
    cur = byHash.get(recordedHead);
    if (!cur) {
      const tail = danglingBelow(Number.MAX_SAFE_INTEGER);
      problems.push({
        code: 'JOURNAL_ENTRY_REMOVED',
        detail: `the head entry recorded for the file is missing${tail ? `: entries after #${tail.seq} were removed` : ''}`,
        ...(tail ? { entry: tail.seq + 1 } : {}),
      });
      cur = tail;
    }
  } else if (sorted.length > 0) {
    problems.push({ code: 'JOURNAL_HEAD_MISMATCH', detail: 'the file records no journal head, but entries exist' });
    cur = danglingBelow(Number.MAX_SAFE_INTEGER);
  }
  while (cur && !visited.has(cur)) {
    visited.add(cur);
    chain.unshift(cur);
    if (cur.prevHash === GENESIS) break;
    const prev = byHash.get(cur.prevHash);
    if (prev && !visited.has(prev)) {
      cur = prev;
      continue;
    }
    const before = danglingBelow(cur.seq);
    problems.push({
      code: 'JOURNAL_ENTRY_REMOVED',
      detail: before
        ? `an entry between ${label(before)} and ${label(cur)} was removed: ${label(cur)} links to a hash no entry has`
        : `the entries before ${label(cur)} were removed: it links to a hash no entry has`,
      entry: before ? before.seq + 1 : cur.seq - 1,
      entries: before ? [before.seq, cur.seq] : [cur.seq],
    });
    cur = before;
  }
  for (const e of chain) {
    if (!intact(e)) {
      problems.push({
        code: 'JOURNAL_ENTRY_ALTERED',
        entry: e.seq,
        detail: `entry ${label(e)} was altered: its content no longer matches its hash`,
      });
    }
  }
  for (const e of sorted) {
    if (!visited.has(e)) {
      problems.push({
        code: 'JOURNAL_ENTRY_INSERTED',
        entry: e.seq,
        detail: `entry ${label(e)} was inserted: it is not part of the file's chain`,
      });
    }
  }
  for (let i = 1; i < chain.length; i += 1) {
    const [a, b] = [chain[i - 1]!, chain[i]!];
    if (b.seq < a.seq) {
      problems.push({
        code: 'JOURNAL_ENTRIES_REORDERED',
        entries: [b.seq, a.seq],
        detail: `entries #${b.seq} and #${a.seq} were swapped: in the chain ${a.action} (stored as #${a.seq}) comes before ${b.action} (stored as #${b.seq})`,
      });
    }
  }
  return problems;
}

/** The hash a daily digest is chained with: over its day, the heads' hash and the previous digest's hash. */
export function digestHash(d: { seq: number; day: string; files: number; headsHash: string; prevHash: string }, key?: string): string {
  const payload = canonicalJson({ v: 1, ...d });
  return key ? createHmac('sha256', key).update(payload).digest('hex') : createHash('sha256').update(payload).digest('hex');
}

/** SHA-256 over the sorted `fileId:head:length` lines of all files. */
export function headsHash(heads: { fileId: string; head: string; length: number }[]): string {
  const lines = heads.map((h) => `${h.fileId}:${h.head}:${h.length}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
