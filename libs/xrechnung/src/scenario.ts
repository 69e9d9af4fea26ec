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

/** KoSIT `customLevel`: the scenario's report overrides a rule's own flag (`warning` or `information`). */
export type CustomLevel = 'warning' | 'information';

export interface Scenario {
  name: string;
  customizationId: string;
  /** KoSIT `<createReport><customLevel level=…>rule</customLevel>` per syntax; these rules never reject a document. */
  customLevels: Readonly<Record<InvoiceSyntax, Readonly<Record<string, CustomLevel>>>>;
}

// As in KoSIT's validator-configuration-xrechnung `scenarios.xml` (XRechnung 3.0): the standard scenarios demote the
// code-list checks BR-CL-21 (item classification scheme) and BR-CL-23 (unit code) to warnings; the extension
// scenarios, whose documents use XRechnung identifier schemes (XR01, XR03, ...) outside the EN 16931 code lists,
// further demote BR-CL-10/11/25/26 (and for UBL Invoice BR-CL-24, BR-CO-16). The EN 16931 Schematron runs in every
// scenario. The extension has no UBL CreditNote scenario: a CreditNote with the extension id gets the standard levels.
const STANDARD: Record<string, CustomLevel> = { 'BR-CL-23': 'warning', 'BR-CL-21': 'warning' };
const EXTENSION_UBL_INVOICE: Record<string, CustomLevel> = {
  'BR-CL-21': 'information',
  'BR-CL-23': 'warning',
  'BR-CL-24': 'warning',
  'BR-CL-10': 'information',
  'BR-CL-11': 'information',
  'BR-CL-25': 'information',
  'BR-CL-26': 'information',
  'BR-CO-16': 'information',
};
const EXTENSION_CII: Record<string, CustomLevel> = {
  'BR-CL-23': 'warning',
  'BR-CL-21': 'information',
  'BR-CL-11': 'information',
  'BR-CL-10': 'information',
  'BR-CL-25': 'information',
  'BR-CL-26': 'information',
};

/** The KoSIT XRechnung 3.0 configuration's scenarios (BT-24 specification identifier). */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'XRechnung 3.0',
    customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0',
    customLevels: { 'ubl-invoice': STANDARD, 'ubl-creditnote': STANDARD, cii: STANDARD },
  },
  {
    name: 'XRechnung 3.0 Extension',
    customizationId:
      'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0',
    customLevels: { 'ubl-invoice': EXTENSION_UBL_INVOICE, 'ubl-creditnote': STANDARD, cii: EXTENSION_CII },
  },
];

export function scenarioFor(customizationId: string | undefined): Scenario | undefined {
  const id = customizationId?.trim();
  return SCENARIOS.find((s) => s.customizationId === id);
}
