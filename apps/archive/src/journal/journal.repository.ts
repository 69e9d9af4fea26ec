import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type StoredJournalEntry } from './journal-chain';

interface EntryRow {
  file_id: string;
  seq: number;
  entry_id: string;
  at: Date;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: EntryRow): StoredJournalEntry => ({
  fileId: r.file_id,
  seq: r.seq,
  entryId: r.entry_id,
  at: r.at.toISOString(),
  actor: r.actor,
  action: r.action,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** `archive.journal` (append-only: a trigger refuses UPDATE and DELETE outside a disposal run) and the file's head. */
@Injectable()
export class JournalRepository {
  /** Locks the file's row for this transaction (appends are serialised per file) and returns its head. */
  async lockHead(manager: EntityManager, fileId: string): Promise<{ head: string | null; length: number } | undefined> {
    const [row] = await manager.query<{ journal_head: string | null; journal_length: number }[]>(
      'SELECT journal_head, journal_length FROM archive.e_files WHERE file_id = $1 FOR UPDATE',
      [fileId],
    );
    return row ? { head: row.journal_head, length: row.journal_length } : undefined;
  }

  async insert(manager: EntityManager, e: StoredJournalEntry): Promise<void> {
    await manager.query(
      `INSERT INTO archive.journal (file_id, seq, entry_id, at, actor, action, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.fileId, e.seq, e.entryId, e.at, e.actor, e.action, JSON.stringify(e.detail), e.prevHash, e.hash],
    );
    await manager.query('UPDATE archive.e_files SET journal_head = $2, journal_length = $3 WHERE file_id = $1', [e.fileId, e.hash, e.seq]);
  }

  async entries(manager: EntityManager, fileId: string): Promise<StoredJournalEntry[]> {
    const rows = await manager.query<EntryRow[]>('SELECT * FROM archive.journal WHERE file_id = $1 ORDER BY seq', [fileId]);
    return rows.map(toEntry);
  }

  /** The heads recorded for the file by daily digests. */
  async digestHeads(manager: EntityManager, fileId: string): Promise<{ digestSeq: number; head: string; length: number }[]> {
    return manager.query(
      'SELECT digest_seq AS "digestSeq", head, length FROM archive.digest_heads WHERE file_id = $1 ORDER BY digest_seq',
      [fileId],
    );
  }
}
