import { type ReadFeeInvoice } from './read-fee-invoice';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A fee invoice as a self-contained, human-readable page (no scripts, no external resources), in German. */
export function renderInvoiceHtml(read: ReadFeeInvoice): string {
  const { invoice: inv, totals } = read;
  const h = escapeHtml;
  const party = (p: { name: string; address: { street?: string; postalCode: string; city: string; country: string } }) =>
    `<strong>${h(p.name)}</strong><br>${p.address.street ? `${h(p.address.street)}<br>` : ''}${h(p.address.postalCode)} ${h(p.address.city)}<br>${h(p.address.country)}`;
  const lines = inv.lines
    .map(
      (l, i) =>
        `<tr><td>${h(l.id)}</td><td>${h(l.name)}${l.description ? `<br><small>${h(l.description)}</small>` : ''}</td>` +
        `<td class="n">${h(l.quantity)} ${h(l.unitCode)}</td><td class="n">${h(l.unitPrice)}</td><td class="n">${h(totals.lineAmounts[i] ?? '')}</td></tr>`,
    )
    .join('\n');
  const vat =
    totals.breakdown.category === 'O'
      ? `Nicht steuerbar (Kategorie O, ${h(totals.breakdown.exemptionReasonCode ?? '')})`
      : `Umsatzsteuer ${h(totals.breakdown.rate)} % (Kategorie ${h(totals.breakdown.category)})`;
  return `<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Rechnung ${h(inv.number)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px;text-align:left;vertical-align:top}
.n{text-align:right}.parties{display:flex;gap:4em;margin:1em 0}dt{font-weight:bold}</style></head>
<body><h1>Rechnung ${h(inv.number)}</h1>
<p>XRechnung (${h(read.syntax.toUpperCase())}) · ${h(read.customizationId)}</p>
<div class="parties"><div><h2>Rechnungssteller</h2>${party(inv.seller)}<br>Kennung ${h(inv.seller.identifier)}${inv.seller.vatId ? `<br>USt-IdNr. ${h(inv.seller.vatId)}` : ''}
<br>Kontakt: ${h(inv.seller.contact.name)}, ${h(inv.seller.contact.phone)}, ${h(inv.seller.contact.email)}</div>
<div><h2>Rechnungsempfänger</h2>${party(inv.buyer)}<br>${h(inv.buyer.electronicAddress)}</div></div>
<dl><dt>Rechnungsdatum</dt><dd>${h(inv.issueDate)}</dd><dt>Fällig am</dt><dd>${h(inv.dueDate)}</dd>${inv.deliveryDate ? `<dt>Leistungsdatum</dt><dd>${h(inv.deliveryDate)}</dd>` : ''}
<dt>Käuferreferenz (Leitweg-ID)</dt><dd>${h(inv.buyerReference)}</dd>${inv.note ? `<dt>Hinweis</dt><dd>${h(inv.note)}</dd>` : ''}</dl>
<table><thead><tr><th>Pos.</th><th>Leistung</th><th class="n">Menge</th><th class="n">Einzelpreis</th><th class="n">Betrag (${h(inv.currency)})</th></tr></thead>
<tbody>
${lines}
</tbody></table>
<table><tbody>
<tr><td>Summe netto</td><td class="n">${h(totals.taxExclusive)}</td></tr>
<tr><td>${vat}</td><td class="n">${h(totals.vatTotal)}</td></tr>
<tr><th>Zahlbetrag</th><th class="n">${h(totals.payable)} ${h(inv.currency)}</th></tr>
</tbody></table>
<h2>Zahlung</h2>
<p>${h(inv.paymentTerms)}</p>
<dl><dt>IBAN</dt><dd>${h(inv.payment.iban)}</dd>${inv.payment.bic ? `<dt>BIC</dt><dd>${h(inv.payment.bic)}</dd>` : ''}
${inv.payment.accountName ? `<dt>Kontoinhaber</dt><dd>${h(inv.payment.accountName)}</dd>` : ''}
<dt>Verwendungszweck (Kassenzeichen)</dt><dd><strong>${h(inv.payment.remittanceInformation)}</strong></dd></dl>
</body></html>
`;
}
