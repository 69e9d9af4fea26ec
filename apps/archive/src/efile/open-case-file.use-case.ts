import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  EventTypes,
  Topics,
  formDataBytes,
  type ArchiveFileOpenedV1,
  type ArchivedDocumentDto,
  type CaseRoutedV1,
  type CaseV1,
} from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { Journal } from '../journal/journal';
import { DEFAULT_FILE_SETTINGS, ProcedureSettingsRepository } from '../settings/procedure-settings.repository';
import { DocumentRecorder, type IncomingDocument } from './document-recorder';
import { EFileRepository } from './efile.repository';

/** Aktenzeichen: procedure · year · running number, e.g. `parking-permits-2026-000017`. */
export function fileReference(procedureId: string, year: number, seq: number): string {
  return `${procedureId}-${year}-${String(seq).padStart(6, '0')}`;
}

const SYSTEM = 'system:archive';

/**
 * Opens the case's e-file (Akte) at the responsible procedure with the procedure's file settings, and files the
 * application (form data and every attachment) as the first Vorgang. Follow-ups and status reports that arrived
 * before the file existed are applied right after (see FileEventsConsumer).
 */
@Injectable()
export class OpenCaseFileUseCase {
  private readonly log = new Logger('OpenCaseFile');

  constructor(
    private readonly files: EFileRepository,
    private readonly settings: ProcedureSettingsRepository,
    private readonly recorder: DocumentRecorder,
    private readonly journal: Journal,
  ) {}

  /** Returns the file id, or undefined when the case's file was opened before (redelivery). */
  async execute(manager: EntityManager, routed: CaseRoutedV1, causationId: string): Promise<string | undefined> {
    const kase = routed.case;
    const procedureId = routed.decision.procedureId;
    const s = (await this.settings.get(manager, procedureId)) ?? DEFAULT_FILE_SETTINGS;
    const fileId = randomUUID();
    const reference = fileReference(procedureId, new Date().getUTCFullYear(), await this.files.nextReferenceSeq(manager));
    const subject = kase.service.name ?? `LeiKa ${kase.service.leikaKey}`;
    const openedAt = new Date().toISOString();
    const settings = {
      filePlanUnit: s.filePlanUnit,
      filePlanTitle: s.filePlanTitle,
      confidentiality: s.confidentiality,
      retentionYears: s.retentionYears,
      disposalClass: s.disposalClass,
    };
    const inserted = await this.files.insertFile(manager, {
      fileId,
      caseId: kase.caseId,
      fileReference: reference,
      procedureId,
      tenantArs: kase.tenant.ars,
      subject,
      openedAt,
      ...settings,
    });
    if (!inserted) return undefined;
    await this.journal.append(manager, fileId, SYSTEM, 'file-opened', {
      caseId: kase.caseId,
      fileReference: reference,
      procedureId,
      subject,
      ...settings,
    });
    const processId = randomUUID();
    await this.files.insertProcess(manager, { processId, fileId, kind: 'application', title: 'Antrag', openedAt });
    await this.journal.append(manager, fileId, SYSTEM, 'process-opened', {
      processId,
      kind: 'application',
      title: 'Antrag',
      channel: kase.channel.kind,
    });
    const documents: ArchivedDocumentDto[] = [];
    for (const doc of await this.applicationDocuments(kase)) {
      const documentId = await this.recorder.add(manager, fileId, processId, doc, SYSTEM);
      if (doc.blobRef && doc.sha512) {
        documents.push({
          documentId,
          title: doc.title,
          fileName: doc.fileName,
          mediaType: doc.mediaType,
          sha512: doc.sha512,
          blobRef: doc.blobRef,
        });
      }
    }
    const event: ArchiveFileOpenedV1 = { caseId: kase.caseId, fileId, fileReference: reference, procedureId, documents, openedAt };
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
    return fileId;
  }

  /** The application form (form data, inline or from the blob store) and every attachment, bytes checked. */
  private async applicationDocuments(kase: CaseV1): Promise<IncomingDocument[]> {
    const docs: IncomingDocument[] = [];
    const form = kase.formData;
    if (form.contentRef) {
      docs.push({
        kind: 'form',
        title: 'Antragsdaten',
        fileName: 'antragsdaten.json',
        mediaType: form.mimeType,
        bytes: await this.recorder.readBlob(form.contentRef.sha512),
        sha512: form.contentRef.sha512,
        blobRef: form.contentRef.blobRef,
      });
    } else if (form.content) {
      docs.push({
        kind: 'form',
        title: 'Antragsdaten',
        fileName: 'antragsdaten.json',
        mediaType: 'application/json',
        bytes: formDataBytes(form.content),
      });
    }
    for (const a of kase.attachments) {
      docs.push({
        kind: a.purpose === 'form' ? 'form' : 'attachment',
        title: a.purpose === 'form' ? 'Antrag' : a.fileName,
        fileName: a.fileName,
        mediaType: a.mediaType,
        bytes: await this.recorder.readBlob(a.sha512),
        sha512: a.sha512,
        blobRef: a.blobRef,
      });
    }
    return docs;
  }
}
