import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

/** What a fee notice says; no personal data of the applicant (the notice can be handed to the portal). */
export interface FeeNotice {
  authorityName: string;
  tenantArs: string;
  caseId: string;
  serviceName: string | null;
  leikaKey: string;
  /** Decimal strings ("30.50"). */
  amountDue: string;
  amountPaid: string;
  bookingText: string;
  kassenzeichen: string;
  payee: { accountHolder: string; iban: string; bic: string | null } | null;
  /** ISO dates (YYYY-MM-DD). */
  issuedOn: string;
  dueOn: string;
}

/** "30.50" → "30,50 EUR" (German notation, from the decimal string: never through a float). */
export function euro(amount: string): string {
  const [whole = '0', frac = ''] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${grouped},${frac.padEnd(2, '0')} EUR`;
}

/** "2026-12-15" → "15.12.2026". */
export function germanDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** An IBAN in groups of four, as printed. */
export function printedIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 64;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The fee notice (Zahlungsaufforderung) as a PDF: authority, case, service, amount, booking text, the Kassenzeichen,
 * the payee's bank account when the tenant has registered one, the due date and how to pay by SEPA transfer. The
 * same notice renders to the same bytes (fixed dates in the metadata, no random document id), so its SHA-512 names it.
 */
export async function renderFeeNotice(n: FeeNotice): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const issued = new Date(`${n.issuedOn}T00:00:00Z`);
  doc.setTitle(`Zahlungsaufforderung ${n.kassenzeichen}`);
  doc.setAuthor(n.authorityName);
  doc.setSubject(`Gebühr für Vorgang ${n.caseId}`);
  doc.setCreator('Poststelle');
  doc.setProducer('Poststelle (pdf-lib)');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  doc.setLanguage('de-DE');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page: PDFPage = doc.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  let y = A4[1] - MARGIN;
  const write = (text: string, o: { font?: PDFFont; size?: number; gap?: number } = {}) => {
    const size = o.size ?? 10.5;
    for (const line of wrap(text, o.font ?? regular, size, width)) {
      page.drawText(line, { x: MARGIN, y, size, font: o.font ?? regular, color: rgb(0, 0, 0) });
      y -= size * 1.35;
    }
    y -= o.gap ?? 0;
  };
  const field = (label: string, value: string, font: PDFFont = regular) => {
    page.drawText(label, { x: MARGIN, y, size: 10.5, font: bold });
    for (const line of wrap(value, font, 10.5, width - 150)) {
      page.drawText(line, { x: MARGIN + 150, y, size: 10.5, font });
      y -= 14.5;
    }
    y -= 2;
  };

  write(n.authorityName, { font: bold, size: 12 });
  write(`Amtlicher Regionalschlüssel ${n.tenantArs}`, { size: 9, gap: 24 });
  write('Zahlungsaufforderung', { font: bold, size: 17 });
  write('Für Ihren Antrag ist die folgende Gebühr zu zahlen.', { gap: 14 });
  field('Datum', germanDate(n.issuedOn));
  field('Vorgang', n.caseId);
  field('Leistung', n.serviceName ? `${n.serviceName} (LeiKa ${n.leikaKey})` : `LeiKa ${n.leikaKey}`);
  field('Gebühr', euro(n.amountDue), bold);
  if (n.amountPaid !== '0.00') field('Bereits gezahlt', euro(n.amountPaid));
  field('Buchungstext', n.bookingText);
  field('Kassenzeichen', n.kassenzeichen, bold);
  field('Fällig bis', germanDate(n.dueOn), bold);
  y -= 10;
  write('Bankverbindung', { font: bold, size: 12, gap: 2 });
  if (n.payee) {
    field('Empfänger', n.payee.accountHolder);
    field('IBAN', printedIban(n.payee.iban));
    if (n.payee.bic) field('BIC', n.payee.bic);
  } else {
    write('Die Bankverbindung der Behörde teilt Ihnen die Behörde gesondert mit.');
  }
  y -= 10;
  write('Hinweis zur Zahlung', { font: bold, size: 12, gap: 2 });
  write(
    `Bitte überweisen Sie ${euro(n.amountDue)} bis zum ${germanDate(n.dueOn)} per SEPA-Überweisung. Geben Sie im ` +
      `Verwendungszweck unbedingt das Kassenzeichen ${n.kassenzeichen} an, sonst kann Ihre Zahlung nicht zugeordnet ` +
      'werden. Bitte überweisen Sie für jeden Vorgang einzeln und fassen Sie mehrere Kassenzeichen nicht zusammen.',
    { gap: 8 },
  );
  write('Dieses Schreiben wurde maschinell erstellt und ist ohne Unterschrift gültig.', { size: 9 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
