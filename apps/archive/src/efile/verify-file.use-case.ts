import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Journal } from '../journal/journal';
import { verifyChain, type Problem } from '../journal/journal-chain';
import { JournalRepository } from '../journal/journal.repository';
import { journaledFormats, verifyContent } from '../journal/verify-content';
import { CONTENT_STORE, sha256Hex, type ContentStore } from '../storage/content-store';
import { EFileRepository } from './efile.repository';

export interface VerifyResult {
  ok: boolean;
  problems: Problem[];
  entries: number;
  formats: number;
}

/** Recomputes a file: its journal chain, the heads daily digests recorded, every format's record and bytes. */
@Injectable()
export class VerifyFileUseCase {
  constructor(
    private readonly files: EFileRepository,
    private readonly journalRepo: JournalRepository,
    private readonly journal: Journal,
    @Inject(CONTENT_STORE) private readonly content: ContentStore,
  ) {}

  async execute(manager: EntityManager, fileId: string): Promise<VerifyResult> {
    const file = await this.files.file(manager, fileId);
    if (!file) throw new Error(`no e-file ${fileId}`);
    const entries = await this.journalRepo.entries(manager, fileId);
    const problems = verifyChain(entries, file.journalHead, this.journal.key);
    if (entries.length === 0 && !file.journalHead) {
      problems.push({
        code: 'JOURNAL_MISSING',
        detail: 'the file has no journal: it was opened before the e-file journal existed, or all its entries were removed',
      });
    }
    const byHash = new Map(entries.map((e) => [e.hash, e]));
    for (const d of await this.journalRepo.digestHeads(manager, fileId)) {
      if (!byHash.has(d.head)) {
        problems.push({
          code: 'DIGEST_HEAD_MISSING',
          entry: d.length,
          detail: `daily digest #${d.digestSeq} recorded head ${d.head} (entry #${d.length}); no entry of the journal has it: the journal was rewritten`,
        });
      }
    }
    const recorded = await this.files.formats(manager, fileId);
    const actual = new Map<string, string | undefined>();
    for (const f of recorded) {
      const bytes = await this.content.get(f.sha256);
      actual.set(f.formatId, bytes ? sha256Hex(bytes) : undefined);
    }
    problems.push(...verifyContent(recorded, journaledFormats(entries), actual));
    return { ok: problems.length === 0, problems, entries: entries.length, formats: recorded.length };
  }
}
