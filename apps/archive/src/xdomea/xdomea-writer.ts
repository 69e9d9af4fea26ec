import { type StoredJournalEntry } from '../journal/journal-chain';
import { xdomeaFormat } from '../efile/media-formats';
import { xdomeaNamespace, type XdomeaVersion } from './xsd-validator';

/** Namespace of the checksums carried in each Dokument's `AnwendungsspezifischeErweiterungXML` (xdomea 3.x has no hash element). */
export const CHECKSUM_NS = 'urn:poststelle:efile:pruefsummen:1';

export interface ExportFile {
  fileId: string;
  fileReference: string;
  subject: string;
  filePlanUnit: string;
  filePlanTitle: string;
  confidentiality: string;
  retentionYears: number | null;
  disposalClass: 'A' | 'B' | 'V';
  openedAt: Date;
  closedAt: Date | null;
  retentionEndsAt: Date | null;
}

export interface ExportFormat {
  formatId: string;
  mediaType: string;
  formatName: string;
  fileName: string;
  /** Name of the primary document in the ZIP (`<uuid>_<name>`). */
  zipName: string;
  sha256: string;
  createdAt: Date;
}

export interface ExportDocument {
  documentId: string;
  title: string;
  versions: { number: number; formats: ExportFormat[] }[];
}

export interface ExportProcess {
  processId: string;
  seq: number;
  title: string;
  openedAt: Date;
  documents: ExportDocument[];
}

export interface MessageHead {
  processId: string;
  sender: string;
  recipient: string;
  createdAt: Date;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, content: string) => `<xdomea:${name}>${content}</xdomea:${name}>`;
const text = (name: string, value: string) => el(name, esc(value));
const date = (d: Date) => d.toISOString().slice(0, 10);
const code = (name: string, value: string, attrs = '') => `<xdomea:${name}${attrs}><code>${esc(value)}</code></xdomea:${name}>`;

function kopf(head: MessageHead, type: string, tail: string): string {
  return el(
    'Kopf',
    text('ProzessID', head.processId) +
      code('Nachrichtentyp', type) +
      text('Erstellungszeitpunkt', head.createdAt.toISOString()) +
      el('Absender', el('Institution', text('Name', head.sender))) +
      el('Empfaenger', el('Institution', text('Name', head.recipient))) +
      el('SendendesSystem', text('Produktname', 'Poststelle') + text('Version', '1')) +
      tail,
  );
}

function akteMetadata(f: ExportFile): string {
  const retention = f.retentionYears === null ? text('Unbefristet', '1') : text('AnzahlJahre', String(f.retentionYears));
  return (
    el('Identifikation', text('ID', f.fileId)) +
    el(
      'AllgemeineMetadaten',
      text('Betreff', f.subject) +
        text('Kennzeichen', f.fileReference) +
        code('Vertraulichkeitsstufe', f.confidentiality) +
        code('Medium', '001') +
        el('Aktenplaneinheit', text('Kennzeichen', f.filePlanUnit) + text('Inhaltsangabe', f.filePlanTitle)),
    ) +
    el(
      'ArchivspezifischeMetadaten',
      el('Aufbewahrungsdauer', retention) +
        el('Aussonderungsart', code('Aussonderungsart', f.disposalClass)) +
        (f.retentionEndsAt ? text('Aufbewahrungsende', date(f.retentionEndsAt)) : ''),
    ) +
    el('Laufzeit', text('Beginn', date(f.openedAt)) + (f.closedAt ? text('Ende', date(f.closedAt)) : ''))
  );
}

function history(entries: StoredJournalEntry[]): string {
  return entries
    .map((e) =>
      el(
        'HistorienProtokollInformation',
        text('Akteur', e.actor) + text('DatumUhrzeit', e.at) + text('Bemerkung', `journal #${e.seq} ${e.hash}`) + text('Aktion', e.action),
      ),
    )
    .join('');
}

function dokument(d: ExportDocument, n: number): string {
  const versions = d.versions
    .map((v) =>
      el(
        'Version',
        text('Nummer', String(v.number)) +
          v.formats
            .map((f) => {
              const fmt = xdomeaFormat(f.mediaType, f.formatName);
              return el(
                'Format',
                code('Name', fmt.code, ' listVersionID="1.0"') +
                  (fmt.otherName ? text('SonstigerName', fmt.otherName) : '') +
                  text('Version', f.formatName) +
                  el(
                    'Primaerdokument',
                    text('Dateiname', f.zipName) + text('DateinameOriginal', f.fileName) + text('DatumUhrzeit', f.createdAt.toISOString()),
                  ),
              );
            })
            .join(''),
      ),
    )
    .join('');
  const sums = d.versions
    .flatMap((v) => v.formats)
    .map((f) => `<ps:Pruefsumme datei="${esc(f.zipName)}" algorithmus="SHA-256">${f.sha256}</ps:Pruefsumme>`)
    .join('');
  return el(
    'Dokument',
    el('Identifikation', text('ID', d.documentId) + text('NummerImUebergeordnetenContainer', String(n))) +
      el('AllgemeineMetadaten', text('Betreff', d.title) + code('Medium', '001')) +
      versions +
      el('AnwendungsspezifischeErweiterungXML', `<ps:Pruefsummen xmlns:ps="${CHECKSUM_NS}">${sums}</ps:Pruefsummen>`),
  );
}

const root = (name: string, version: XdomeaVersion, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<xdomea:${name} xmlns:xdomea="${xdomeaNamespace(version)}">${body}</xdomea:${name}>\n`;

/** 0503 Aussonderung.Aussonderung: the file with its processes, documents, versions and formats, and its history. */
export function aussonderung0503(
  version: XdomeaVersion,
  head: MessageHead,
  file: ExportFile,
  processes: ExportProcess[],
  journal: StoredJournalEntry[],
): string {
  const vorgaenge = processes
    .map((p) =>
      el(
        'Vorgang',
        el('Identifikation', text('ID', p.processId) + text('NummerImUebergeordnetenContainer', String(p.seq))) +
          el(
            'AllgemeineMetadaten',
            text('Betreff', p.title) + text('Kennzeichen', `${file.fileReference}/${p.seq}`) + code('Medium', '001'),
          ) +
          el('Laufzeit', text('Beginn', date(p.openedAt))) +
          p.documents.map((d, i) => dokument(d, i + 1)).join(''),
      ),
    )
    .join('');
  const kopfTail = text('Importbestaetigung', '1') + text('RueckmeldungArchivkennung', '0') + text('Empfangsbestaetigung', '1');
  return root(
    'Aussonderung.Aussonderung.0503',
    version,
    kopf(head, '0503', kopfTail) + el('Schriftgutobjekt', el('Akte', akteMetadata(file) + history(journal) + el('Akteninhalt', vorgaenge))),
  );
}

/** 0501 Aussonderung.Anbieteverzeichnis: the files offered, with their metadata (no content). */
export function anbieteverzeichnis0501(version: XdomeaVersion, head: MessageHead, files: ExportFile[]): string {
  return root(
    'Aussonderung.Anbieteverzeichnis.0501',
    version,
    kopf(head, '0501', text('Empfangsbestaetigung', '1')) + files.map((f) => el('Schriftgutobjekt', el('Akte', akteMetadata(f)))).join(''),
  );
}
