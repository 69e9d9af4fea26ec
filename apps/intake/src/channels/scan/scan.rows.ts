import { type ScanIndexDto } from './scan-index';
import { type IndexSeal } from './scan.ports';

// The rows of the paper-scan tables as the repository returns them, and their mapping from the database.

export type BatchStatus = 'awaiting-documents' | 'ready' | 'processing' | 'processed' | 'rejected';
export type DocumentStatus = 'pending' | 'uploaded' | 'case' | 'follow-up' | 'classification-required' | 'rejected';

export interface ScanBatchRow {
  batchId: string;
  source: 'http' | 'drop-folder';
  externalBatchId: string | null;
  indexSha512: string;
  index: ScanIndexDto | null;
  /** The seal over the index as verified on arrival; null on batches from before seals. */
  indexSeal: IndexSeal | null;
  status: BatchStatus;
  reasonCode: string | null;
  reason: string | null;
  dropFolder: string | null;
  totalBytes: number;
  /** The scan-centre client that delivered it (`scan-drop-folder` for the drop folder). */
  submittedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScanDocumentRow {
  documentId: string;
  fileName: string;
  mediaType: string;
  expectedSha512: string;
  sizeBytes: number | null;
  status: DocumentStatus;
  reasonCode: string | null;
  reason: string | null;
  caseId: string | null;
  pdfaSha512: string | null;
  classification: Record<string, unknown> | null;
}

export interface BatchDb {
  batch_id: string;
  source: 'http' | 'drop-folder';
  external_batch_id: string | null;
  index_sha512: string;
  index: ScanIndexDto | null;
  index_seal: IndexSeal | null;
  status: BatchStatus;
  reason_code: string | null;
  reason: string | null;
  drop_folder: string | null;
  total_bytes: string;
  submitted_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const batchOf = (r: BatchDb): ScanBatchRow => ({
  batchId: r.batch_id,
  source: r.source,
  externalBatchId: r.external_batch_id,
  indexSha512: r.index_sha512,
  index: r.index,
  indexSeal: r.index_seal,
  status: r.status,
  reasonCode: r.reason_code,
  reason: r.reason,
  dropFolder: r.drop_folder,
  totalBytes: Number(r.total_bytes),
  submittedBy: r.submitted_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface DocumentDb {
  document_id: string;
  file_name: string;
  media_type: string;
  expected_sha512: string;
  size_bytes: string | null;
  status: DocumentStatus;
  reason_code: string | null;
  reason: string | null;
  case_id: string | null;
  pdfa_sha512: string | null;
  classification: Record<string, unknown> | null;
}

export const documentOf = (r: DocumentDb): ScanDocumentRow => ({
  documentId: r.document_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  expectedSha512: r.expected_sha512,
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  status: r.status,
  reasonCode: r.reason_code,
  reason: r.reason,
  caseId: r.case_id,
  pdfaSha512: r.pdfa_sha512,
  classification: r.classification,
});
