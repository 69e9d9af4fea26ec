export { XRechnungValidator, type XRechnungValidatorOptions } from './engine/xrechnung-validator';
export { RULES_BUNDLE } from './engine/rules-bundle';
export { sniffInvoice, type RootElement, type SniffResult } from './input/sniff-root';
export { preCheck, DEFAULT_MAX_DOCUMENT_BYTES, type PreCheckResult } from './input/pre-check';
export {
  PEPPOL_BILLING_PROFILE_ID,
  XRECHNUNG_CUSTOMIZATION_ID,
  checkFeeInvoice,
  computeTotals,
  type FeeInvoice,
  type FeeInvoiceAddress,
  type FeeInvoiceBuyer,
  type FeeInvoiceLine,
  type FeeInvoiceSeller,
  type FeeInvoiceTotals,
  type FeeInvoiceVat,
} from './generate/fee-invoice';
export { generateCii } from './generate/generate-cii';
export { generateUbl } from './generate/generate-ubl';
export { readFeeInvoice, type ReadFeeInvoice } from './generate/read-fee-invoice';
export { renderInvoiceHtml } from './generate/render-invoice-html';
export { parseLeitwegId, leitwegCheckDigits, type LeitwegId, type LeitwegIdResult } from './leitweg-id';
export { renderReportHtml } from './report/render-report-html';
export {
  type Finding,
  type FindingLayer,
  type FindingSeverity,
  type InvoiceSummary,
  type InvoiceSyntax,
  type RulesVersions,
  type ValidationReport,
  severityOfFlag,
} from './report/validation-report';
export { SCENARIOS, scenarioFor, syntaxOfRoot, type Scenario, type CustomLevel } from './scenario';
export { XRechnungErrorCode, XRechnungException } from './xrechnung.exception';
