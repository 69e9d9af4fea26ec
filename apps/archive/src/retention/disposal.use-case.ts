import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Logger, describeError } from '@poststelle/telemetry';
import { Journal } from '../journal/journal';
import { CONTENT_STORE, type ContentStore } from '../storage/content-store';
import { DisposalRepository } from './disposal.repository';

/**
 * A disposal run: every closed file whose retention has ended and that no legal hold keeps is disposed of by its
 * class: V is deleted (leaving its deletion record), A and B are offered to the archive in one xdomea process (0501).
 * Each file is handled in its own transaction, re-checked under lock, so nothing is deleted early and a run can be
 * followed while it goes (`processed` of `due`).
 */
@Injectable()
export class DisposalUseCase {
  private readonly log = new Logger('Disposal');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: DisposalRepository,
    private readonly journal: Journal,
    @Inject(CONTENT_STORE) private readonly content: ContentStore,
  ) {}

  /** Records the run and starts it; the returned promise settles when it has finished. */
  async start(trigger: 'api' | 'schedule', actor: string): Promise<{ runId: string; done: Promise<void> }> {
    const runId = randomUUID();
    await this.repo.startRun(this.dataSource.manager, { runId, trigger, actor });
    const done = this.execute(runId, actor).catch(async (error: unknown) => {
      this.log.error('disposal run failed', { runId, ...describeError(error) });
      await this.repo.progress(this.dataSource.manager, runId, {
        state: 'failed',
        detail: error instanceof Error ? error.message : String(error),
      });
    });
    return { runId, done };
  }

  private async execute(runId: string, actor: string): Promise<void> {
    const now = new Date();
    const { files, held } = await this.repo.due(this.dataSource.manager, now);
    await this.repo.progress(this.dataSource.manager, runId, { due: files.length, held });
    let processed = 0;
    let deleted = 0;
    let offered = 0;
    let processId: string | undefined;
    for (const f of files) {
      if (f.disposalClass === 'V') {
        if (await this.deleteFile(f.fileId, 'retention-ended', actor, runId, now)) deleted += 1;
      } else {
        processId ??= randomUUID();
        const pid = processId;
        const done = await this.dataSource.transaction(async (manager) => {
          if (!(await this.repo.lockDue(manager, f.fileId, now, ['closed']))) return false;
          await this.repo.createOffer(manager, pid, runId);
          await this.repo.markOffered(manager, f.fileId, pid);
          await this.journal.append(manager, f.fileId, actor, 'disposal-offered', {
            runId,
            processId: pid,
            disposalClass: f.disposalClass,
            message: '0501',
          });
          return true;
        });
        if (done) offered += 1;
      }
      processed += 1;
      await this.repo.progress(this.dataSource.manager, runId, {
        processed,
        deleted,
        offered,
        ...(processId ? { offerProcessId: processId } : {}),
      });
    }
    await this.repo.progress(this.dataSource.manager, runId, { state: 'finished' });
    this.log.info('disposal run finished', { runId, due: files.length, held, deleted, offered, offerProcessId: processId });
  }

  /**
   * Deletes one file (re-checked under lock unless it was handed over) and then the bytes no other file references.
   * Returns false when the file was no longer due.
   */
  async deleteFile(fileId: string, reason: string, actor: string, runId: string | null, now: Date, states = ['closed']): Promise<boolean> {
    const hashes = await this.dataSource.transaction(async (manager) => {
      if (!(await this.repo.lockDue(manager, fileId, now, states))) return undefined;
      return this.repo.deleteFile(manager, { recordId: randomUUID(), fileId, reason, actor, runId });
    });
    if (!hashes) return false;
    for (const sha256 of await this.repo.unreferenced(this.dataSource.manager, hashes)) await this.content.remove(sha256);
    this.log.info('e-file deleted', { fileId, reason, runId });
    return true;
  }
}
