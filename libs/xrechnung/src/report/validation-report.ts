/** Where a finding comes from: the input checks, the XSD, the CEN EN 16931 or the KoSIT XRechnung Schematron, or
 * the KoSIT scenario selection (syntax + customization id). */
export type FindingLayer = 'input' | 'xsd' | 'en16931' | 'xrechnung' | 'scenario';

/** KoSIT semantics: Schematron flag fatal/error → error, warning/information → warning. */
export type FindingSeverity = 'error' | 'warning';

export interface Finding {
  layer: FindingLayer;
  ruleId: string;
  severity: FindingSeverity;
  /** XPath of the offending node (Schematron, XSD), or `line:column` for parse errors. */
  location: string;
  message: string;
}

export type InvoiceSyntax = 'ubl-invoice' | 'ubl-creditnote' | 'cii';

/** Business terms read from a well-formed document (for storage and duplicate detection); absent ones are omitted. */
export interface InvoiceSummary {
  invoiceNumber?: string; // BT-1
  issueDate?: string; // BT-2 (YYYY-MM-DD)
  currency?: string; // BT-5
  buyerReference?: string; // BT-10 (Leitweg-ID for authorities)
  sellerName?: string; // BT-27
  sellerVatId?: string; // BT-31
  payableAmount?: string; // BT-115, as written
}

export interface RulesVersions {
  xrechnung: string;
  en16931: string;
}

export interface ValidationReport {
  accepted: boolean;
  /** sha256 of the document as received. */
  documentSha256: string;
  sizeBytes: number;
  syntax?: InvoiceSyntax;
  customizationId?: string;
  scenario?: string;
  rules: RulesVersions;
  summary: InvoiceSummary;
  errorCount: number;
  warningCount: number;
  findings: Finding[];
}

export function countBySeverity(findings: readonly Finding[]): { errorCount: number; warningCount: number } {
  const errorCount = findings.filter((f) => f.severity === 'error').length;
  return { errorCount, warningCount: findings.length - errorCount };
}

/** Maps a Schematron `flag` (or SVRL `role`) to KoSIT severity; unknown flags count as errors. */
export function severityOfFlag(flag: string | null | undefined): FindingSeverity {
  const f = (flag ?? '').trim().toLowerCase();
  return f === 'warning' || f === 'information' || f === 'info' ? 'warning' : 'error';
}
