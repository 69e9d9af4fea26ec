import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Logger } from '@poststelle/telemetry';
import { parseCamt } from './camt-parser';
import { StatementsRepository } from './statements.repository';
import { StatementWorker } from './statement-worker';

export interface ImportReceipt {
  importId: string;
  alreadyImported: boolean;
  messageId: string;
  statementIds: string[];
  total: number;
}

/**
 * Accepts a camt.053/054 message for a tenant: parses it (a refusal names what is wrong), records the import and its
 * items in one transaction, and leaves the reconciliation to the worker. The same message and statements again
 * (by message id and statement ids) create nothing and answer with the first import.
 */
@Injectable()
export class ImportStatementUseCase {
  private readonly log = new Logger('ImportStatement');

  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: StatementsRepository,
    private readonly worker: StatementWorker,
  ) {}

  async execute(
    xml: Buffer,
    tenantArs: string,
    by: { actor: string; source: 'api' | 'drop-folder'; fileName?: string },
  ): Promise<ImportReceipt> {
    const message = await parseCamt(xml.toString('utf8'));
    const importId = randomUUID();
    const result = await this.dataSource.transaction(async (manager) => {
      const created = await this.statements.create(manager, {
        importId,
        tenantArs,
        messageId: message.messageId,
        statementIds: message.statementIds,
        kind: message.kind,
        version: message.version,
        source: by.source,
        fileName: by.fileName ?? null,
        sha256: createHash('sha256').update(xml).digest('hex'),
        total: message.items.length,
        importedBy: by.actor,
      });
      if (created.created) {
        await this.statements.addItems(manager, importId, message.items);
        if (message.items.length === 0) await this.statements.finishEmpty(manager, importId);
      }
      return created;
    });
    this.log.info(result.created ? 'statement accepted' : 'statement already imported', {
      importId: result.importId,
      tenantArs,
      messageId: message.messageId,
      items: message.items.length,
      source: by.source,
    });
    if (result.created) this.worker.nudge();
    return {
      importId: result.importId,
      alreadyImported: !result.created,
      messageId: message.messageId,
      statementIds: message.statementIds,
      total: message.items.length,
    };
  }
}
