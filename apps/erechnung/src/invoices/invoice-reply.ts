import { type ValidationReport } from '@poststelle/xrechnung';

/** At most this many findings are listed in the mail; the attached HTML report has them all. */
export const MAX_LISTED_FINDINGS = 30;

export interface InvoiceReplyInput {
  invoiceId: string;
  report: ValidationReport;
  fileName: string;
  /** Accepted invoices: the authority the Leitweg-ID resolved to. */
  authorityName?: string;
  duplicateOf?: string | null;
}

export interface InvoiceReplyText {
  subject: string;
  body: string;
  /** Rejections carry the full report as an HTML attachment. */
  attachReport: boolean;
}

const oneLine = (s: string, max: number): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/**
 * The answer to an invoice received by email (German, like every text to the outside): a short confirmation with
 * the invoice number and our reference, or the rejection with the findings. Pure, so it is tested without SMTP.
 */
export function composeInvoiceReply(input: InvoiceReplyInput): InvoiceReplyText {
  const { report } = input;
  const number = report.summary.invoiceNumber ? oneLine(report.summary.invoiceNumber, 100) : undefined;
  const facts = [
    ...(number ? [`Rechnungsnummer: ${number}`] : []),
    ...(report.summary.issueDate ? [`Rechnungsdatum: ${oneLine(report.summary.issueDate, 20)}`] : []),
    ...(report.summary.buyerReference ? [`Leitweg-ID: ${oneLine(report.summary.buyerReference, 50)}`] : []),
    `Datei: ${oneLine(input.fileName, 200)}`,
    `Eingangsreferenz: ${input.invoiceId}`,
  ];
  const footer = ['', 'Diese Nachricht wurde automatisch erstellt. Bitte antworten Sie nicht auf diese E-Mail.'];
  if (report.accepted) {
    return {
      subject: `E-Rechnung ${number ?? input.invoiceId} eingegangen`,
      body: [
        'Sehr geehrte Damen und Herren,',
        '',
        `Ihre E-Rechnung ist eingegangen, wurde geprüft (XRechnung ${report.rules.xrechnung}) und an die zuständige Stelle${
          input.authorityName ? ` (${oneLine(input.authorityName, 300)})` : ''
        } weitergeleitet.`,
        '',
        ...facts,
        ...(input.duplicateOf
          ? [
              '',
              `Hinweis: Eine Rechnung desselben Rechnungsstellers mit dieser Nummer und diesem Datum ist bereits eingegangen ` +
                `(Eingangsreferenz ${input.duplicateOf}). Die Rechnung wird als mögliche Doppelung geprüft und nicht doppelt bezahlt.`,
            ]
          : []),
        ...(report.warningCount > 0 ? ['', `Die Prüfung ergab ${report.warningCount} Hinweis(e) ohne Einfluss auf die Annahme.`] : []),
        ...footer,
      ].join('\n'),
      attachReport: false,
    };
  }
  const errors = report.findings.filter((f) => f.severity === 'error');
  const listed = errors
    .slice(0, MAX_LISTED_FINDINGS)
    .map((f) => `- [${f.ruleId}] ${oneLine(f.message, 500)} (${oneLine(f.location, 200)})`);
  return {
    subject: `E-Rechnung ${number ?? oneLine(input.fileName, 100)} abgelehnt: ${report.errorCount} Fehler`,
    body: [
      'Sehr geehrte Damen und Herren,',
      '',
      `Ihre E-Rechnung konnte nicht angenommen werden: Die Prüfung (XSD, EN 16931, XRechnung ${report.rules.xrechnung}, Leitweg-ID) ` +
        `ergab ${report.errorCount} Fehler.`,
      '',
      ...facts,
      '',
      'Fehler:',
      ...listed,
      ...(errors.length > listed.length ? [`- … und ${errors.length - listed.length} weitere (siehe Prüfbericht)`] : []),
      '',
      'Der vollständige Prüfbericht ist als HTML-Datei angehängt. Bitte korrigieren Sie die Rechnung und senden Sie sie erneut.',
      ...footer,
    ].join('\n'),
    attachReport: true,
  };
}
