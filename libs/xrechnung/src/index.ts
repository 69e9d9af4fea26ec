export { XRechnungValidator, type XRechnungValidatorOptions } from './engine/xrechnung-validator';
export { RULES_BUNDLE } from './engine/rules-bundle';
export { sniffInvoice, type RootElement, type SniffResult } from './input/sniff-root';
export { preCheck, DEFAULT_MAX_DOCUMENT_BYTES, type PreCheckResult } from './input/pre-check';
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
export { SCENARIOS, scenarioFor, syntaxOfRoot, type Scenario } from './scenario';
export { XRechnungErrorCode, XRechnungException } from './xrechnung.exception';
