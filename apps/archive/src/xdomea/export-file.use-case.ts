import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ARCHIVE_SETTINGS, type ArchiveSettings } from '../archive.config';
import { EFileRepository, type EFileRow } from '../efile/efile.repository';
import { JournalRepository } from '../journal/journal.repository';
import { CONTENT_STORE, sha256Hex, type ContentStore } from '../storage/content-store';
import { aussonderung0503, type ExportFile, type ExportProcess } from './xdomea-writer';
import { XdomeaSchemas, type XdomeaVersion } from './xsd-validator';
import { zip, type ZipEntry } from './zip';
import { ArchiveErrorCode, ArchiveException } from '../archive.exception';

export const toExportFile = (f: EFileRow): ExportFile => ({
  fileId: f.fileId,
  fileReference: f.fileReference,
  subject: f.subject,
  filePlanUnit: f.filePlanUnit,
  filePlanTitle: f.filePlanTitle,
  confidentiality: f.confidentiality,
  retentionYears: f.retentionYears,
  disposalClass: f.disposalClass,
  openedAt: f.openedAt,
  closedAt: f.closedAt,
  retentionEndsAt: f.retentionEndsAt,
});

const safeName = (name: string) => name.replace(/[^\w.-]+/g, '_').slice(-100) || 'dokument';

/**
 * The 0503 transfer message of a file as a ZIP: the XML (validated against the XSD of the requested version before
 * it leaves) and every primary document, each hash recomputed from the bytes that go into the ZIP. The process id is
 * the file's disposal offer's, if it was offered, so the exchange carries one id throughout.
 */
@Injectable()
export class ExportFileUseCase {
  constructor(
    private readonly files: EFileRepository,
    private readonly journal: JournalRepository,
    private readonly schemas: XdomeaSchemas,
    @Inject(CONTENT_STORE) private readonly content: ContentStore,
    @Inject(ARCHIVE_SETTINGS) private readonly settings: ArchiveSettings,
  ) {}

  async execute(
    manager: EntityManager,
    file: EFileRow,
    version: XdomeaVersion,
  ): Promise<{ zip: Buffer; processId: string; xmlName: string; documents: number }> {
    const processId = file.offerProcessId ?? randomUUID();
    const formats = await this.files.formats(manager, file.fileId);
    const entries: ZipEntry[] = [];
    const processes: ExportProcess[] = (await this.files.processes(manager, file.fileId)).map((p) => ({ ...p, documents: [] }));
    for (const f of formats) {
      const bytes = await this.content.get(f.sha256);
      if (!bytes || sha256Hex(bytes) !== f.sha256) {
        throw new ArchiveException(
          ArchiveErrorCode.ExportInvalid,
          `document ${f.documentId} version ${f.versionNumber} (${f.role}) fails its hash: verify the file`,
        );
      }
      const zipName = `${f.formatId}_${safeName(f.fileName)}`;
      entries.push({ name: zipName, bytes });
      const process = processes.find((p) => p.processId === f.processId);
      if (!process) continue;
      let doc = process.documents.find((d) => d.documentId === f.documentId);
      if (!doc) process.documents.push((doc = { documentId: f.documentId, title: f.title, versions: [] }));
      let v = doc.versions.find((x) => x.number === f.versionNumber);
      if (!v) doc.versions.push((v = { number: f.versionNumber, formats: [] }));
      v.formats.push({
        formatId: f.formatId,
        mediaType: f.mediaType,
        formatName: f.formatName,
        fileName: f.fileName,
        zipName,
        sha256: sha256Hex(bytes),
        createdAt: f.createdAt,
      });
    }
    const head = { processId, sender: this.settings.xdomea.sender, recipient: this.settings.xdomea.archive, createdAt: new Date() };
    const xml = aussonderung0503(version, head, toExportFile(file), processes, await this.journal.entries(manager, file.fileId));
    const { errors } = await this.schemas.validate(xml);
    if (errors.length > 0) {
      throw new ArchiveException(ArchiveErrorCode.ExportFailsSchema, `the 0503 message fails the xdomea ${version} schema`, {
        errors: errors.slice(0, 20).map((message) => ({ field: '$', message })),
      });
    }
    const xmlName = `${processId}_Aussonderung.Aussonderung.0503.xml`;
    return { zip: zip([{ name: xmlName, bytes: Buffer.from(xml, 'utf8') }, ...entries]), processId, xmlName, documents: entries.length };
  }
}
