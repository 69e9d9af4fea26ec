import { ARS, LEIKA_KEY, type ScanClassificationReason, findCaseReferences, keyOfCaseReference } from '@poststelle/contracts';
import { type ApplicationForm } from '../../core';
import { type ScanIndexDocumentDto, type ScanIndexDto } from './scan-index';
import { type IndexSeal } from './scan.ports';

/**
 * Cover-sheet barcode (QR or Code 128), printed by the authority on the sheet the applicant sends with the paper:
 * `POSTSTELLE:1;leika=<14-digit LeiKa key>;ars=<12-digit ARS>[;case=PS-XXXX-XXXX-XXXX-XXXX-C]`, parameters in any order,
 * case-insensitive keys. A sheet with only `case=` marks a follow-up for an existing case.
 */
export interface CoverSheet {
  leikaKey?: string;
  tenantArs?: string;
  caseReference?: string;
}

export function parseCoverSheetBarcode(content: string): CoverSheet | undefined {
  const [head, ...params] = content.trim().split(';');
  if (!/^POSTSTELLE:1$/i.test(head ?? '')) return undefined;
  const out: CoverSheet = {};
  for (const p of params) {
    const [k, ...rest] = p.split('=');
    const key = (k ?? '').trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'leika' && LEIKA_KEY.test(value)) out.leikaKey = value;
    else if (key === 'ars' && ARS.test(value)) out.tenantArs = value;
    else if (key === 'case' && keyOfCaseReference(value)) out.caseReference = value.toUpperCase();
  }
  return out.leikaKey || out.caseReference ? out : undefined;
}

export interface ClassificationRule {
  ruleId: string;
  leikaKey: string;
  tenantArs?: string;
  formIds: string[];
  keywords: string[];
}

export interface ClassificationInput {
  barcodes: string[];
  formId?: string;
  /** The batch's authority (index `tenantArs`). */
  batchTenantArs?: string;
  text: string;
  rules: ClassificationRule[];
  threshold: number;
}

export type Classification =
  | { kind: 'service'; leikaKey: string; tenantArs: string; confidence: number; method: 'barcode' | 'form-id' | 'text' }
  | {
      kind: 'manual';
      confidence: number;
      reasonCode: 'low-confidence' | 'ambiguous' | 'no-tenant' | 'no-match';
      reason: string;
      candidates: { leikaKey: string; tenantArs?: string; score: number }[];
    };

export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Share of a rule's keywords (phrases, normalised) found in the text, 0..1. */
export function keywordScore(normalisedText: string, keywords: string[]): number {
  const phrases = keywords.map(normaliseText).filter(Boolean);
  if (phrases.length === 0) return 0;
  const padded = ` ${normalisedText} `;
  const hits = phrases.filter((p) => padded.includes(` ${p} `)).length;
  return Math.round((hits / phrases.length) * 1000) / 1000;
}

/**
 * Service and tenant of a scanned document, most explicit first: a cover-sheet barcode (confidence 1), the form id
 * of the index matched against the rules (1), then the document text against each rule's keywords (share of
 * keywords found; two rules with the same best score are ambiguous). Below the threshold, or without a tenant, the
 * document goes to the manual-classification queue.
 */
export function classifyDocument(input: ClassificationInput): Classification {
  for (const content of input.barcodes) {
    const sheet = parseCoverSheetBarcode(content);
    const tenantArs = sheet?.tenantArs ?? input.batchTenantArs;
    if (sheet?.leikaKey && tenantArs) return { kind: 'service', leikaKey: sheet.leikaKey, tenantArs, confidence: 1, method: 'barcode' };
  }
  if (input.formId) {
    const rule = input.rules.find((r) => r.formIds.includes(input.formId as string));
    const tenantArs = rule?.tenantArs ?? input.batchTenantArs;
    if (rule && tenantArs) return { kind: 'service', leikaKey: rule.leikaKey, tenantArs, confidence: 1, method: 'form-id' };
  }
  const text = normaliseText(input.text);
  const scored = input.rules
    .map((r) => ({ rule: r, score: keywordScore(text, r.keywords) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const candidates = scored.slice(0, 5).map((s) => ({
    leikaKey: s.rule.leikaKey,
    ...((s.rule.tenantArs ?? input.batchTenantArs) ? { tenantArs: s.rule.tenantArs ?? input.batchTenantArs } : {}),
    score: s.score,
  }));
  const [best, second] = scored;
  if (!best) {
    return {
      kind: 'manual',
      confidence: 0,
      reasonCode: 'no-match',
      reason: 'no barcode, form id or keywords of a known service found',
      candidates,
    };
  }
  const ambiguous = !!second && second.score === best.score && second.rule.leikaKey !== best.rule.leikaKey;
  const confidence = ambiguous ? Math.round((best.score / 2) * 1000) / 1000 : best.score;
  if (ambiguous && confidence < input.threshold) {
    return {
      kind: 'manual',
      confidence,
      reasonCode: 'ambiguous',
      reason: `the text matches ${scored.filter((s) => s.score === best.score).length} services equally well`,
      candidates,
    };
  }
  if (confidence < input.threshold) {
    return {
      kind: 'manual',
      confidence,
      reasonCode: 'low-confidence',
      reason: `classification confidence ${confidence} is below the threshold ${input.threshold}`,
      candidates,
    };
  }
  const tenantArs = best.rule.tenantArs ?? input.batchTenantArs;
  if (!tenantArs) {
    return {
      kind: 'manual',
      confidence,
      reasonCode: 'no-tenant',
      reason: 'the service was recognised, but neither the rule nor the batch names the authority (tenantArs)',
      candidates,
    };
  }
  return { kind: 'service', leikaKey: best.rule.leikaKey, tenantArs, confidence, method: 'text' };
}

export type SealVerdict = 'missing' | 'invalid' | 'untrusted';

/**
 * Whether a batch is refused for its index seal. Only when a seal is required (`SCAN_REQUIRE_SEALED_INDEX`): no
 * seal, a seal that does not match the index, or one whose signer does not chain to the scan-centre trust store.
 * Without the requirement nothing is refused; the result is recorded on the batch and in each case's evidence.
 */
export function sealVerdict(seal: IndexSeal, required: boolean): SealVerdict | undefined {
  if (!required) return undefined;
  if (!seal.sealed) return 'missing';
  if (!seal.valid) return 'invalid';
  if (!seal.trusted) return 'untrusted';
  return undefined;
}

/** Case references naming an existing case: the index first, then cover-sheet barcodes, then the document text. */
export function scanCaseReferences(doc: Pick<ScanIndexDocumentDto, 'caseReference'>, barcodes: string[], text: string): string[] {
  return [...new Set([...explicitCaseReferences(doc, barcodes), ...findCaseReferences(text)])];
}

/** References the scan centre assigned explicitly: the index `caseReference`, then cover-sheet barcodes (`case=`). */
export function explicitCaseReferences(doc: Pick<ScanIndexDocumentDto, 'caseReference'>, barcodes: string[]): string[] {
  const fromBarcodes = barcodes.map((b) => parseCoverSheetBarcode(b)?.caseReference).filter((r): r is string => !!r);
  return [...new Set([...(doc.caseReference ? [doc.caseReference] : []), ...fromBarcodes])];
}

export interface CaseTarget {
  caseId: string;
  tenantArs: string;
}

export type CaseReferenceOutcome =
  | { kind: 'follow-up'; reference: string; target: CaseTarget }
  /** The scan centre marked the document as belonging to a case, but no reference names exactly one case. */
  | { kind: 'unknown-reference'; references: string[] }
  | { kind: 'none' };

/**
 * Whether a scanned document is a follow-up. When the scan centre assigned it explicitly (index, cover sheet), only
 * those references count, and one that names no single existing case is never silently turned into a new case (nor
 * attached to another case the text happens to quote): a clerk decides. Without an explicit reference, references
 * found in the OCR text are hints: when none names a case, the document is classified like any other.
 */
export async function resolveCaseReference(
  doc: Pick<ScanIndexDocumentDto, 'caseReference'>,
  barcodes: string[],
  text: string,
  casesByReference: (reference: string) => Promise<CaseTarget[]>,
): Promise<CaseReferenceOutcome> {
  const explicit = explicitCaseReferences(doc, barcodes);
  for (const reference of explicit.length > 0 ? explicit : scanCaseReferences(doc, barcodes, text)) {
    const [target, ...more] = await casesByReference(reference);
    if (target && more.length === 0) return { kind: 'follow-up', reference, target };
  }
  return explicit.length > 0 ? { kind: 'unknown-reference', references: explicit } : { kind: 'none' };
}

export interface ManualReview {
  confidence: number;
  reasonCode: ScanClassificationReason;
  reason: string;
  candidates: { leikaKey: string; tenantArs?: string; score: number }[];
}

/** The queue item for an explicit case reference naming no case; the classifier's view is kept for the clerk. */
export function unknownCaseReferenceReview(references: string[], classification: Classification): ManualReview {
  return {
    confidence: classification.confidence,
    reasonCode: 'unknown-case-reference',
    reason: `the scan centre assigned the document to case ${references.join(', ')}, but no existing case has this reference`,
    candidates:
      classification.kind === 'manual'
        ? classification.candidates
        : [{ leikaKey: classification.leikaKey, tenantArs: classification.tenantArs, score: classification.confidence }],
  };
}

export interface ScanDocumentFacts {
  index: ScanIndexDto;
  indexSha512: string;
  /** The scan centre's seal over the index as verified when the batch came in (absent on batches from before seals). */
  indexSeal?: IndexSeal;
  document: ScanIndexDocumentDto;
  documentSha512: string;
  pageCount: number;
  textSource: 'text-layer' | 'ocr';
  text: string;
  barcodes: string[];
  form?: ApplicationForm;
  /** Already in the blob store: the PDF/A (if OCR made one) and the original. */
  attachments: { attachmentId: string; fileName: string; mediaType: string; sha512: string; purpose: 'form' | 'attachment' }[];
}

/** Scan evidence per TR-RESISCAN for the case: transfer note, integrity hashes, who, when, which profile. */
export function scanEvidence(f: ScanDocumentFacts, classifiedBy: 'barcode' | 'form-id' | 'text' | 'manual'): Record<string, unknown> {
  const barcode = f.barcodes[0] ?? f.document.barcodes?.[0];
  return {
    batchId: f.index.batchId,
    scanCentre: f.index.scanCentre,
    scannedAt: f.index.scannedAt,
    operator: f.index.operator,
    scannerProfile: f.index.scannerProfile,
    resolutionDpi: f.index.resolutionDpi,
    transferNote: f.index.transferNote,
    indexSha512: f.indexSha512,
    ...(f.indexSeal
      ? {
          indexSealed: f.indexSeal.sealed,
          indexSealValid: f.indexSeal.valid,
          indexSealTrusted: f.indexSeal.trusted,
          ...(f.indexSeal.signer
            ? {
                indexSealSigner: {
                  subject: f.indexSeal.signer.subject.slice(0, 1000),
                  issuer: f.indexSeal.signer.issuer.slice(0, 1000),
                  serialNumber: f.indexSeal.signer.serialNumber.slice(0, 100),
                  notBefore: f.indexSeal.signer.notBefore,
                  notAfter: f.indexSeal.signer.notAfter,
                },
              }
            : {}),
        }
      : {}),
    handwrittenSignature: f.document.handwrittenSignature,
    ...(barcode ? { barcode: barcode.slice(0, 500) } : {}),
    documentId: f.document.documentId,
    documentSha512: f.documentSha512,
    pageCount: f.pageCount,
    textSource: f.textSource,
    classifiedBy,
  };
}
