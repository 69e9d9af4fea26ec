import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PollingLoop } from '@poststelle/platform';
import { ARCHIVE_SETTINGS, type ArchiveSettings } from '../archive.config';
import { DisposalUseCase } from '../retention/disposal.use-case';
import { GENESIS, digestHash, headsHash } from './journal-chain';
import { DigestRepository, type DigestRow } from './digest.repository';

/**
 * The scheduled work of the archive: one digest per UTC day over every file's journal head (chained to the previous
 * digest, HMAC-sealed with the operator key when one is configured), and the scheduled disposal run.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly digestLoop: PollingLoop;
  private readonly disposalLoop: PollingLoop;
  private lastDisposal = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: DigestRepository,
    private readonly disposal: DisposalUseCase,
    @Inject(ARCHIVE_SETTINGS) private readonly settings: ArchiveSettings,
  ) {
    this.digestLoop = new PollingLoop(
      'daily-digest',
      async () => {
        await this.digest(false);
        return 0;
      },
      settings.digestIntervalMs || 3600000,
    );
    this.disposalLoop = new PollingLoop('disposal-schedule', () => this.scheduledDisposal(), settings.disposalIntervalMs || 3600000);
  }

  onApplicationBootstrap(): void {
    if (this.settings.digestIntervalMs > 0) this.digestLoop.start();
    if (this.settings.disposalIntervalMs > 0) this.disposalLoop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.digestLoop.stop(), this.disposalLoop.stop()]);
  }

  private async scheduledDisposal(): Promise<number> {
    if (Date.now() - this.lastDisposal < this.settings.disposalIntervalMs) return 0;
    this.lastDisposal = Date.now();
    const { done } = await this.disposal.start('schedule', 'system:archive-scheduler');
    await done;
    return 0;
  }

  /** Today's digest (or a further one when `force`), unless today's exists; returns it. */
  async digest(force: boolean): Promise<DigestRow | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await this.repo.lock(manager);
      const last = await this.repo.last(manager);
      const day = new Date().toISOString().slice(0, 10);
      if (last && last.day === day && !force) return undefined;
      const heads = await this.repo.heads(manager);
      const base = { seq: (last?.seq ?? 0) + 1, day, files: heads.length, headsHash: headsHash(heads), prevHash: last?.hash ?? GENESIS };
      const row: DigestRow = { ...base, hash: digestHash(base, this.settings.journalKey), sealed: this.settings.journalKey !== undefined };
      await this.repo.insert(manager, row, heads);
      return row;
    });
  }

  /** Recomputes the digest chain: each digest's hash, its link, and its heads' hash. */
  async verify(): Promise<{ ok: boolean; digests: number; problems: string[] }> {
    const manager = this.dataSource.manager;
    const all = await this.repo.all(manager);
    const problems: string[] = [];
    let prev = GENESIS;
    for (const d of all) {
      if (d.prevHash !== prev) problems.push(`digest #${d.seq} (${d.day}) does not link to the digest before it`);
      if (
        digestHash({ seq: d.seq, day: d.day, files: d.files, headsHash: d.headsHash, prevHash: d.prevHash }, this.settings.journalKey) !==
        d.hash
      ) {
        problems.push(`digest #${d.seq} (${d.day}) was altered: its hash does not match`);
      }
      if (headsHash(await this.repo.headsOf(manager, d.seq)) !== d.headsHash)
        problems.push(`the heads recorded by digest #${d.seq} (${d.day}) were altered`);
      prev = d.hash;
    }
    return { ok: problems.length === 0, digests: all.length, problems };
  }
}
