import { type Problem, type StoredJournalEntry } from './journal-chain';

/** A format (the bytes of one version in one file format) as the file's tables record it. */
export interface RecordedFormat {
  formatId: string;
  documentId: string;
  title: string;
  versionNumber: number;
  role: 'original' | 'rendition';
  mediaType: string;
  sha256: string;
}

/** What a journal entry (`version-created`, `rendition-created`) says a format's hash is. */
export interface JournaledFormat {
  formatId: string;
  documentId: string;
  sha256: string;
  entry: number;
}

/** The formats the journal records: every `formats` item of `version-created` and `rendition-created` entries. */
export function journaledFormats(entries: StoredJournalEntry[]): JournaledFormat[] {
  const out: JournaledFormat[] = [];
  for (const e of entries) {
    if (e.action !== 'version-created' && e.action !== 'rendition-created') continue;
    const formats = (e.detail['formats'] ?? []) as { formatId: string; sha256: string }[];
    for (const f of formats) out.push({ formatId: f.formatId, documentId: String(e.detail['documentId']), sha256: f.sha256, entry: e.seq });
  }
  return out;
}

const name = (f: RecordedFormat) => `document '${f.title}' (${f.documentId}) version ${f.versionNumber} ${f.role} (${f.mediaType})`;

/**
 * Compares the recorded formats with the journal and with the bytes in the content store (`actual`: the SHA-256 of
 * the bytes found, `undefined` when none are there).
 */
export function verifyContent(
  recorded: RecordedFormat[],
  journaled: JournaledFormat[],
  actual: Map<string, string | undefined>,
): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(journaled.map((j) => [j.formatId, j]));
  const recordedIds = new Set(recorded.map((r) => r.formatId));
  for (const f of recorded) {
    const j = byId.get(f.formatId);
    const ids = { documentId: f.documentId, formatId: f.formatId };
    if (!j) {
      problems.push({ code: 'DOCUMENT_UNJOURNALED', ...ids, detail: `${name(f)} was inserted: no journal entry records it` });
      continue;
    }
    if (j.sha256 !== f.sha256) {
      problems.push({
        code: 'DOCUMENT_RECORD_ALTERED',
        ...ids,
        entry: j.entry,
        detail: `${name(f)}: its recorded hash ${f.sha256} differs from journal entry #${j.entry} (${j.sha256})`,
      });
    }
    const bytes = actual.get(f.formatId);
    if (bytes === undefined) {
      problems.push({
        code: 'DOCUMENT_MISSING',
        ...ids,
        detail: `${name(f)}: its bytes (sha256 ${j.sha256}) are missing from the content store`,
      });
    } else if (bytes !== j.sha256) {
      problems.push({
        code: 'DOCUMENT_ALTERED',
        ...ids,
        detail: `${name(f)}: its bytes were altered (sha256 ${bytes}, journal entry #${j.entry} records ${j.sha256})`,
      });
    }
  }
  for (const j of journaled) {
    if (!recordedIds.has(j.formatId)) {
      problems.push({
        code: 'DOCUMENT_RECORD_REMOVED',
        documentId: j.documentId,
        formatId: j.formatId,
        entry: j.entry,
        detail: `format ${j.formatId} of document ${j.documentId}, recorded by journal entry #${j.entry}, was removed from the file`,
      });
    }
  }
  return problems;
}
