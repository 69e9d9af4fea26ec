import { type InvoiceSyntax } from '../report/validation-report';
import { syntaxOfRoot } from '../scenario';

/** How far into a document the root element is looked for; the prolog of a real invoice is far shorter. */
const SNIFF_WINDOW = 64 * 1024;

export interface RootElement {
  qname: string;
  localName: string;
  namespace?: string;
}

export type SniffResult =
  | { kind: 'invoice'; syntax: InvoiceSyntax; root: RootElement }
  | { kind: 'xml'; root: RootElement }
  | { kind: 'not-xml' };

/**
 * The first element's name and namespace, skipping the prolog (XML declaration, comments, processing instructions,
 * a DOCTYPE with or without internal subset, whitespace). Plain string scanning: no parser sees the text, so no
 * entity is ever declared, resolved or expanded.
 */
export function rootElement(text: string): RootElement | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (text.startsWith('<!DOCTYPE', i) || text.startsWith('<!doctype', i)) {
      const end = doctypeEnd(text, i + 9);
      if (end < 0) return undefined;
      i = end + 1;
    } else break;
  }
  const tag = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)([^>]*)>/.exec(text.slice(i, i + SNIFF_WINDOW));
  if (!tag?.[1]) return undefined;
  const qname = tag[1];
  const [prefix, localName] = qname.includes(':') ? (qname.split(':') as [string, string]) : [undefined, qname];
  const nsAttr = new RegExp(`\\sxmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*(["'])(.*?)\\1`).exec(tag[2] ?? '');
  return { qname, localName, ...(nsAttr?.[2] !== undefined ? { namespace: nsAttr[2] } : {}) };
}

/** Index of the `>` closing a DOCTYPE, stepping over quoted literals and an internal subset `[...]`. */
function doctypeEnd(text: string, from: number): number {
  let depth = 0;
  const limit = Math.min(text.length, from + SNIFF_WINDOW);
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i;
  }
  return -1;
}

/**
 * Is this attachment an e-invoice? Looks only at the root element (UBL 2.1 Invoice / CreditNote, UN/CEFACT CII
 * CrossIndustryInvoice) in the first 64 KiB, decoded leniently. Says nothing about validity: a document with a DOCTYPE
 * or a broken body is still recognised, so the validator can reject it with a report. A PDF with embedded XML
 * (ZUGFeRD / Factur-X) is `not-xml`.
 */
export function sniffInvoice(bytes: Uint8Array): SniffResult {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, SNIFF_WINDOW));
  const root = rootElement(head);
  if (!root) return { kind: 'not-xml' };
  const syntax = syntaxOfRoot(root.namespace, root.localName);
  return syntax ? { kind: 'invoice', syntax, root } : { kind: 'xml', root };
}
