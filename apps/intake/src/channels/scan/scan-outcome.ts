import { type FieldError } from '@poststelle/contracts';
import { type Submitter } from '../../core';
import { type ScanRefusalCode, scanRefusal } from './scan.exception';
import { type ScanDocumentRow } from './scan.repository';

/**
 * Cases from a batch are handed in by the client that delivered it (its `paper` channel checked on arrival); the
 * seal facts are intake's own, and paper asserts nothing about the applicant.
 */
export const scanSubmitter = (batchSubmittedBy: string | null): Submitter => ({ id: batchSubmittedBy ?? 'scan-centre', mayAssert: [] });

export const scanFail = (code: ScanRefusalCode, message: string, errors?: FieldError[]) =>
  scanRefusal(code, message, errors ? { errors } : {});

export interface DocumentOutcome {
  documentId: string;
  status: ScanDocumentRow['status'];
  caseId?: string;
  caseReference?: string;
  itemId?: string;
  reasonCode?: string;
  reason?: string;
}
