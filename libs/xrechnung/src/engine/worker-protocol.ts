import { type Finding, type InvoiceSummary, type InvoiceSyntax } from '../report/validation-report';

export interface WorkerInit {
  rulesDir: string;
}

export interface ValidateRequest {
  id: number;
  text: string;
  syntax: InvoiceSyntax;
}

export interface LayerResult {
  findings: Finding[];
  customizationId?: string;
  summary: InvoiceSummary;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string }
  | { type: 'result'; id: number; result: LayerResult }
  | { type: 'error'; id: number; message: string };
