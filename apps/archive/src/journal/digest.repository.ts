import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface DigestRow {
  seq: number;
  day: string;
  files: number;
  headsHash: string;
  prevHash: string;
  hash: string;
  sealed: boolean;
}

/** `archive.digests` and `archive.digest_heads`: the daily digest over all files' journal heads, itself chained. */
@Injectable()
export class DigestRepository {
  /** Serialises digest creation across instances (transaction-scoped advisory lock). */
  async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('archive.digest', 0))`);
  }

  async last(manager: EntityManager): Promise<DigestRow | undefined> {
    const [row] = await manager.query<DigestRow[]>(
      `SELECT seq, to_char(day, 'YYYY-MM-DD') AS day, files, heads_hash AS "headsHash", prev_hash AS "prevHash", hash, sealed
         FROM archive.digests ORDER BY seq DESC LIMIT 1`,
    );
    return row;
  }

  async all(manager: EntityManager): Promise<DigestRow[]> {
    return manager.query(
      `SELECT seq, to_char(day, 'YYYY-MM-DD') AS day, files, heads_hash AS "headsHash", prev_hash AS "prevHash", hash, sealed FROM archive.digests ORDER BY seq`,
    );
  }

  async heads(manager: EntityManager): Promise<{ fileId: string; head: string; length: number }[]> {
    return manager.query(
      'SELECT file_id AS "fileId", journal_head AS head, journal_length AS length FROM archive.e_files WHERE journal_head IS NOT NULL ORDER BY file_id',
    );
  }

  async headsOf(manager: EntityManager, seq: number): Promise<{ fileId: string; head: string; length: number }[]> {
    return manager.query('SELECT file_id AS "fileId", head, length FROM archive.digest_heads WHERE digest_seq = $1', [seq]);
  }

  async insert(manager: EntityManager, d: DigestRow, heads: { fileId: string; head: string; length: number }[]): Promise<void> {
    await manager.query(
      'INSERT INTO archive.digests (seq, day, files, heads_hash, prev_hash, hash, sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [d.seq, d.day, d.files, d.headsHash, d.prevHash, d.hash, d.sealed],
    );
    for (const h of heads) {
      await manager.query('INSERT INTO archive.digest_heads (digest_seq, file_id, head, length) VALUES ($1, $2, $3, $4)', [
        d.seq,
        h.fileId,
        h.head,
        h.length,
      ]);
    }
  }
}
