import { type InvoiceSyntax } from './report/validation-report';

export const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const UBL_CREDITNOTE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
export const CII_NS = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';

/** Syntax by root element (namespace + local name), as the KoSIT scenarios match it. */
export function syntaxOfRoot(namespace: string | undefined, localName: string): InvoiceSyntax | undefined {
  if (namespace === UBL_INVOICE_NS && localName === 'Invoice') return 'ubl-invoice';
  if (namespace === UBL_CREDITNOTE_NS && localName === 'CreditNote') return 'ubl-creditnote';
  if (namespace === CII_NS && localName === 'CrossIndustryInvoice') return 'cii';
  return undefined;
}

export interface Scenario {
  name: string;
  customizationId: string;
  /** Syntaxes for which the CEN EN 16931 Schematron is not part of the scenario. */
  withoutEn16931?: readonly InvoiceSyntax[];
}

/** The KoSIT XRechnung 3.0 configuration's scenarios (BT-24 specification identifier). */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'XRechnung 3.0', customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0' },
  {
    // Extension documents use identifier schemes (XR01, XR03, ...) outside the EN 16931 code lists; the official
    // extension samples (04.05a CII) pass only without the CEN CII Schematron. See ADR 0006.
    name: 'XRechnung 3.0 Extension',
    customizationId:
      'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0',
    withoutEn16931: ['cii'],
  },
];

export function scenarioFor(customizationId: string | undefined): Scenario | undefined {
  const id = customizationId?.trim();
  return SCENARIOS.find((s) => s.customizationId === id);
}
