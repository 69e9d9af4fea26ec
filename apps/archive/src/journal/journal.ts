import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ARCHIVE_SETTINGS, type ArchiveSettings } from '../archive.config';
import { GENESIS, entryHash, type StoredJournalEntry } from './journal-chain';
import { JournalRepository } from './journal.repository';

/** Journal actions (docs/efile-journal.md). */
export type JournalAction =
  | 'file-opened'
  | 'process-opened'
  | 'document-added'
  | 'version-created'
  | 'rendition-created'
  | 'rendition-failed'
  | 'status-changed'
  | 'invoice-issued'
  | 'file-closed'
  | 'file-read'
  | 'file-read-refused'
  | 'file-verified'
  | 'file-exported'
  | 'hold-set'
  | 'hold-lifted'
  | 'disposal-offered'
  | 'disposal-appraised'
  | 'handed-over';

/** Appends entries to a file's hash-chained journal, inside the caller's transaction. */
@Injectable()
export class Journal {
  constructor(
    private readonly repo: JournalRepository,
    @Inject(ARCHIVE_SETTINGS) private readonly settings: ArchiveSettings,
  ) {}

  get key(): string | undefined {
    return this.settings.journalKey;
  }

  async append(
    manager: EntityManager,
    fileId: string,
    actor: string,
    action: JournalAction,
    detail: Record<string, unknown>,
  ): Promise<StoredJournalEntry> {
    const head = await this.repo.lockHead(manager, fileId);
    if (!head) throw new Error(`no e-file ${fileId}`);
    const content = {
      fileId,
      entryId: randomUUID(),
      at: new Date().toISOString(),
      actor,
      action,
      // Through JSON once: what jsonb gives back is what the hash must cover.
      detail: JSON.parse(JSON.stringify(detail)) as Record<string, unknown>,
      prevHash: head.head ?? GENESIS,
    };
    const entry: StoredJournalEntry = { ...content, seq: head.length + 1, hash: entryHash(content, this.settings.journalKey) };
    await this.repo.insert(manager, entry);
    return entry;
  }
}
