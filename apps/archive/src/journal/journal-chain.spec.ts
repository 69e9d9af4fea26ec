import { randomUUID } from 'node:crypto';
import { GENESIS, entryHash, verifyChain, type StoredJournalEntry } from './journal-chain';
import { journaledFormats, verifyContent, type RecordedFormat } from './verify-content';

const KEY = 'k'.repeat(32);
const FILE = randomUUID();

/** A valid chain of `n` entries (seq 1..n), sealed with KEY. */
function chain(n: number): StoredJournalEntry[] {
  const out: StoredJournalEntry[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq += 1) {
    const content = {
      fileId: FILE,
      entryId: randomUUID(),
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: 'system:archive',
      action: `action-${seq}`,
      detail: { n: seq },
      prevHash: prev,
    };
    const hash = entryHash(content, KEY);
    out.push({ ...content, seq, hash });
    prev = hash;
  }
  return out;
}

const head = (entries: StoredJournalEntry[]) => entries[entries.length - 1]!.hash;

describe('journal chain verification', () => {
  it('accepts an intact chain', () => {
    const entries = chain(5);
    expect(verifyChain(entries, head(entries), KEY)).toEqual([]);
  });

  it('names an altered entry', () => {
    const entries = chain(5);
    const headHash = head(entries);
    entries[2] = { ...entries[2]!, detail: { n: 99 } };
    const problems = verifyChain(entries, headHash, KEY);
    expect(problems).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRY_ALTERED', entry: 3 })]);
  });

  it('names a removed entry by its neighbours', () => {
    const entries = chain(5);
    const headHash = head(entries);
    const problems = verifyChain(
      entries.filter((e) => e.seq !== 3),
      headHash,
      KEY,
    );
    expect(problems).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRY_REMOVED', entry: 3, entries: [2, 4] })]);
  });

  it('names a removed last entry (the recorded head is gone)', () => {
    const entries = chain(4);
    const problems = verifyChain(entries.slice(0, 3), head(entries), KEY);
    expect(problems).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRY_REMOVED', entry: 4 })]);
  });

  it('names an inserted entry, even one that links correctly but was never part of the chain', () => {
    const entries = chain(4);
    const headHash = head(entries);
    const forged = {
      fileId: FILE,
      entryId: randomUUID(),
      at: new Date().toISOString(),
      actor: 'mallory',
      action: 'file-read',
      detail: {},
      prevHash: entries[1]!.hash,
    };
    const inserted = [...entries, { ...forged, seq: 5, hash: entryHash(forged, 'wrong-key'.repeat(4)) }];
    expect(verifyChain(inserted, headHash, KEY)).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRY_INSERTED', entry: 5 })]);
  });

  it('names two swapped entries', () => {
    const entries = chain(5);
    const headHash = head(entries);
    const swapped = entries.map((e) => (e.seq === 2 ? { ...e, seq: 3 } : e.seq === 3 ? { ...e, seq: 2 } : e));
    expect(verifyChain(swapped, headHash, KEY)).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRIES_REORDERED', entries: [2, 3] })]);
  });

  it('detects a chain rewritten without the key', () => {
    const entries = chain(3);
    expect(verifyChain(entries, head(entries), 'x'.repeat(32)).map((p) => p.code)).toEqual([
      'JOURNAL_ENTRY_ALTERED',
      'JOURNAL_ENTRY_ALTERED',
      'JOURNAL_ENTRY_ALTERED',
    ]);
  });
});

describe('content verification', () => {
  const doc = randomUUID();
  const recorded: RecordedFormat[] = [
    {
      formatId: 'f1',
      documentId: doc,
      title: 'fahrzeugschein.pdf',
      versionNumber: 1,
      role: 'original',
      mediaType: 'application/pdf',
      sha256: 'a'.repeat(64),
    },
  ];
  const journal: StoredJournalEntry[] = [
    {
      fileId: FILE,
      entryId: randomUUID(),
      seq: 1,
      at: '',
      actor: 'a',
      action: 'version-created',
      detail: { documentId: doc, formats: [{ formatId: 'f1', sha256: 'a'.repeat(64) }] },
      prevHash: GENESIS,
      hash: 'h',
    },
  ];

  it('accepts matching bytes', () => {
    expect(verifyContent(recorded, journaledFormats(journal), new Map([['f1', 'a'.repeat(64)]]))).toEqual([]);
  });

  it('names the document whose bytes changed or went missing', () => {
    const altered = verifyContent(recorded, journaledFormats(journal), new Map([['f1', 'b'.repeat(64)]]));
    expect(altered).toEqual([expect.objectContaining({ code: 'DOCUMENT_ALTERED', documentId: doc })]);
    expect(altered[0]!.detail).toContain("document 'fahrzeugschein.pdf'");
    expect(verifyContent(recorded, journaledFormats(journal), new Map([['f1', undefined]]))).toEqual([
      expect.objectContaining({ code: 'DOCUMENT_MISSING' }),
    ]);
  });

  it('names a format record changed, removed or added behind the journal', () => {
    expect(
      verifyContent([{ ...recorded[0]!, sha256: 'c'.repeat(64) }], journaledFormats(journal), new Map([['f1', 'c'.repeat(64)]])).map(
        (p) => p.code,
      ),
    ).toEqual(['DOCUMENT_RECORD_ALTERED', 'DOCUMENT_ALTERED']);
    expect(verifyContent([], journaledFormats(journal), new Map()).map((p) => p.code)).toEqual(['DOCUMENT_RECORD_REMOVED']);
    expect(verifyContent(recorded, [], new Map([['f1', 'a'.repeat(64)]])).map((p) => p.code)).toEqual(['DOCUMENT_UNJOURNALED']);
  });
});
