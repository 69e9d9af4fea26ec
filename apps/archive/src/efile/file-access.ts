import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Principal } from '@poststelle/platform';
import { Journal } from '../journal/journal';
import { EFileRepository, type EFileRow } from './efile.repository';
import { actorOf, actsFor } from './tenant-scope';
import { ArchiveErrorCode, ArchiveException } from '../archive.exception';

export const notFound = (caseId: string) => new ArchiveException(ArchiveErrorCode.FileNotFound, `no e-file for case ${caseId}`);

/**
 * Every access to an e-file goes through here: the caller's tenant is checked against the file's, a refusal is
 * journaled in the file (committed on its own) and answered 404 exactly like a file that does not exist.
 */
@Injectable()
export class FileAccess {
  constructor(
    private readonly dataSource: DataSource,
    private readonly files: EFileRepository,
    private readonly journal: Journal,
  ) {}

  async resolve(caseId: string, principal: Principal | undefined, attempted: string): Promise<EFileRow> {
    const file = await this.files.fileOfCase(this.dataSource.manager, caseId);
    if (!file) throw notFound(caseId);
    if (!actsFor(principal, file.tenantArs)) {
      await this.dataSource.transaction((manager) =>
        this.journal.append(manager, file.fileId, actorOf(principal), 'file-read-refused', {
          attempted,
          clientId: principal?.clientId ?? null,
          tenants: principal?.tenants ?? [],
        }),
      );
      throw notFound(caseId);
    }
    return file;
  }

  /** Runs `work` and journals the access in the same transaction. */
  async journaled<T>(
    file: EFileRow,
    principal: Principal | undefined,
    action: 'file-read' | 'file-verified' | 'file-exported',
    work: (manager: EntityManager) => Promise<{ result: T; detail: Record<string, unknown> }>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const { result, detail } = await work(manager);
      await this.journal.append(manager, file.fileId, actorOf(principal), action, { clientId: principal?.clientId ?? null, ...detail });
      return result;
    });
  }
}
