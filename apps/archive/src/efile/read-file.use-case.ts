import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { JournalRepository } from '../journal/journal.repository';
import { LegalHoldRepository } from '../retention/legal-hold.repository';
import { EFileRepository, type EFileRow } from './efile.repository';
import { RenditionRepository } from './rendition.repository';

/** The whole e-file as the API shows it: Akte → Vorgänge → Dokumente → Versionen → Formate, journal, holds, retention. */
@Injectable()
export class ReadFileUseCase {
  constructor(
    private readonly files: EFileRepository,
    private readonly journal: JournalRepository,
    private readonly holds: LegalHoldRepository,
    private readonly renditions: RenditionRepository,
  ) {}

  async execute(manager: EntityManager, file: EFileRow) {
    const [processes, documents, formats, journal, holds, renditions] = [
      await this.files.processes(manager, file.fileId),
      await this.files.documents(manager, file.fileId),
      await this.files.formats(manager, file.fileId),
      await this.journal.entries(manager, file.fileId),
      await this.holds.ofFile(manager, file.fileId),
      await this.renditions.states(manager, file.fileId),
    ];
    const renditionOf = new Map(renditions.map((r) => [r.versionId, r]));
    const docs = documents.map((d) => {
      const own = formats.filter((f) => f.documentId === d.documentId);
      const versionIds = [...new Set(own.map((f) => f.versionId))];
      return {
        ...d,
        versions: versionIds.map((versionId) => {
          const fs = own.filter((f) => f.versionId === versionId);
          const r = renditionOf.get(versionId);
          return {
            versionId,
            number: fs[0]!.versionNumber,
            createdAt: fs[0]!.createdAt,
            rendition: r ? { state: r.state, ...(r.detail ? { detail: r.detail } : {}) } : { state: 'not-applicable' },
            formats: fs.map((f) => ({
              formatId: f.formatId,
              role: f.role,
              mediaType: f.mediaType,
              formatName: f.formatName,
              fileName: f.fileName,
              sha256: f.sha256,
              sizeBytes: f.sizeBytes,
            })),
          };
        }),
      };
    });
    return {
      caseId: file.caseId,
      fileId: file.fileId,
      fileReference: file.fileReference,
      procedureId: file.procedureId,
      subject: file.subject,
      openedAt: file.openedAt,
      filePlanUnit: { code: file.filePlanUnit, title: file.filePlanTitle },
      confidentiality: file.confidentiality,
      retention: {
        years: file.retentionYears,
        disposalClass: file.disposalClass,
        state: file.state,
        closedAt: file.closedAt,
        endsAt: file.retentionEndsAt,
        underLegalHold: holds.some((h) => !h.liftedAt),
      },
      processes: processes.map((p) => ({ ...p, documents: docs.filter((d) => d.processId === p.processId).map((d) => d.documentId) })),
      documents: docs,
      holds,
      journal: journal.map((e) => ({
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        detail: e.detail,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
      journalHead: file.journalHead,
    };
  }
}
