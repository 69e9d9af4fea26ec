import { type Finding, type InvoiceSyntax } from '../report/validation-report';
import { syntaxOfRoot } from '../scenario';
import { rootElement } from './sniff-root';

export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export type PreCheckResult = { ok: true; text: string; syntax: InvoiceSyntax } | { ok: false; findings: Finding[]; syntax?: InvoiceSyntax };

const reject = (ruleId: string, message: string, location = '/'): PreCheckResult => ({
  ok: false,
  findings: [{ layer: 'input', ruleId, severity: 'error', location, message }],
});

/**
 * Everything decided before an XML parser sees the document: size cap, UTF-8, no DOCTYPE (so no DTD, no external
 * entity and no entity expansion can ever happen), and a root element of a supported syntax. Pure string work, so
 * it runs in the caller's thread and a hostile document never reaches a parser.
 */
export function preCheck(body: Uint8Array, maxBytes: number = DEFAULT_MAX_DOCUMENT_BYTES): PreCheckResult {
  if (body.byteLength === 0) return reject('INPUT-EMPTY', 'The document is empty.');
  if (body.byteLength > maxBytes) {
    return reject('INPUT-TOO-LARGE', `The document has ${body.byteLength} bytes; at most ${maxBytes} bytes are accepted.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    return reject('INPUT-ENCODING', 'The document is not valid UTF-8 (XRechnung requires UTF-8).');
  }
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    return reject('INPUT-ENCODING', `The XML declaration names encoding "${declared}"; XRechnung requires UTF-8.`);
  }
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    return reject(
      'INPUT-DOCTYPE',
      'The document contains a DOCTYPE or entity declaration; DTDs and entities are not allowed in e-invoices and are never processed.',
    );
  }
  const root = rootElement(text);
  if (!root) return reject('INPUT-NOT-XML', 'No root element found: the document is not XML.');
  const syntax = syntaxOfRoot(root.namespace, root.localName);
  if (!syntax) {
    return reject(
      'INPUT-UNSUPPORTED-ROOT',
      `Root element {${root.namespace ?? ''}}${root.localName} is not a UBL 2.1 Invoice, UBL 2.1 CreditNote or UN/CEFACT CII D16B CrossIndustryInvoice.`,
      `/${root.qname}`,
    );
  }
  return { ok: true, text, syntax };
}
