import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceException, Permission } from '@poststelle/platform';

@Controller('v1')
export class FilesController {
  constructor(private readonly dataSource: DataSource) {}

  /** The case's e-file with its documents (hashes) and history. */
  @Permission('case:read')
  @Get('cases/:caseId/file')
  async file(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    const [file] = await this.dataSource.query<{ fileId: string }[]>(
      `SELECT file_id AS "fileId", file_reference AS "fileReference", procedure_id AS "procedureId", subject, opened_at AS "openedAt"
         FROM archive.e_files WHERE case_id = $1`,
      [caseId],
    );
    if (!file) throw new ServiceException('FILE_NOT_FOUND', 404, `no e-file for case ${caseId} (yet)`);
    const documents = await this.dataSource.query<unknown[]>(
      `SELECT document_id AS "documentId", title, file_name AS "fileName", media_type AS "mediaType", sha512, recorded_at AS "recordedAt"
         FROM archive.documents WHERE file_id = $1 ORDER BY recorded_at, document_id`,
      [file.fileId],
    );
    const history = await this.dataSource.query<unknown[]>(
      'SELECT action, actor, detail, at FROM archive.history WHERE file_id = $1 ORDER BY id',
      [file.fileId],
    );
    return { caseId, ...file, documents, history };
  }
}
