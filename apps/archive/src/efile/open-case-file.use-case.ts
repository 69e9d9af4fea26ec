import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  EventTypes,
  Topics,
  loadFormContent,
  type ArchiveFileOpenedV1,
  type ArchivedDocumentDto,
  type CaseRoutedV1,
  type CaseV1,
} from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';

/** Aktenzeichen: procedure · year · running number, e.g. `parking-permits-2026-000017`. */
export function fileReference(procedureId: string, year: number, seq: number): string {
  return `${procedureId}-${year}-${String(seq).padStart(6, '0')}`;
}

/** Opens the case's e-file (Akte) at the responsible procedure and records its documents with their hashes. */
@Injectable()
export class OpenCaseFileUseCase {
  private readonly log = new Logger('OpenCaseFile');

  constructor(@Inject(BLOB_STORE) private readonly blobs: BlobStore) {}

  async execute(manager: EntityManager, routed: CaseRoutedV1, causationId: string): Promise<void> {
    const kase = routed.case;
    const formDocument = await this.referencedFormDocument(kase);
    const fileId = randomUUID();
    const [{ seq }] = await manager.query<[{ seq: number }]>(`SELECT nextval('archive.file_reference_seq')::int AS seq`);
    const reference = fileReference(routed.decision.procedureId, new Date().getUTCFullYear(), seq);
    const subject = kase.service.name ?? `LeiKa ${kase.service.leikaKey}`;
    await manager.query(
      `INSERT INTO archive.e_files (file_id, case_id, file_reference, procedure_id, tenant_ars, subject) VALUES ($1, $2, $3, $4, $5, $6)`,
      [fileId, kase.caseId, reference, routed.decision.procedureId, kase.tenant.ars, subject],
    );
    const documents: ArchivedDocumentDto[] = [
      ...(formDocument ? [formDocument] : []),
      ...kase.attachments.map((a) => ({
        documentId: randomUUID(),
        title: a.purpose === 'form' ? 'Antrag' : a.fileName,
        fileName: a.fileName,
        mediaType: a.mediaType,
        sha512: a.sha512,
        blobRef: a.blobRef,
      })),
    ];
    for (const d of documents) {
      await manager.query(
        `INSERT INTO archive.documents (document_id, file_id, title, file_name, media_type, sha512, blob_ref) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.documentId, fileId, d.title, d.fileName, d.mediaType, d.sha512, d.blobRef],
      );
    }
    await manager.query(`INSERT INTO archive.history (file_id, action, actor, detail) VALUES ($1, 'opened', 'system:archive', $2)`, [
      fileId,
      JSON.stringify({
        caseId: kase.caseId,
        procedureId: routed.decision.procedureId,
        documents: documents.length,
        formDataSha512: kase.formData.sha512,
        ...(kase.formData.contentRef ? { formDataBlobRef: kase.formData.contentRef.blobRef } : {}),
      }),
    ]);
    const event: ArchiveFileOpenedV1 = {
      caseId: kase.caseId,
      fileId,
      fileReference: reference,
      procedureId: routed.decision.procedureId,
      documents,
      openedAt: new Date().toISOString(),
    };
    await addToOutbox(manager, {
      topic: Topics.archiveRecords,
      key: kase.caseId,
      type: EventTypes.archiveFileOpened,
      payload: event,
      correlationId: kase.caseId,
      causationId,
      tenant: kase.tenant.ars,
    });
    this.log.info('e-file opened', { caseId: kase.caseId, fileId, fileReference: reference, documents: documents.length });
  }

  /**
   * Form data too large to travel inline is in the blob store (claim check): it goes into the e-file as a document
   * of its own, once its size and hash are verified against the reference. A missing or altered blob fails the
   * message (retried, then dead-lettered): an e-file is never opened without its application data.
   */
  private async referencedFormDocument(kase: CaseV1): Promise<ArchivedDocumentDto | undefined> {
    const ref = kase.formData.contentRef;
    if (!ref) return undefined;
    await loadFormContent(kase.formData, this.blobs);
    return {
      documentId: randomUUID(),
      title: 'Antragsdaten',
      fileName: 'antragsdaten.json',
      mediaType: kase.formData.mimeType,
      sha512: ref.sha512,
      blobRef: ref.blobRef,
    };
  }
}
