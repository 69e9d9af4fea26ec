import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PollingLoop } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { INTAKE_SETTINGS, type IntakeSettings } from '../../core';
import { ScanRepository } from './scan.repository';
import { ProcessScanBatchUseCase } from './process-scan-batch.use-case';

/** A batch claimed this long ago and still `processing` belonged to an instance that died: it is taken again. */
const LEASE_MINUTES = 10;

/**
 * Polls for batches whose documents are all in (`ready`) and processes them one at a time per instance (OCR
 * concurrency is bounded in the adapter). Rows are taken with `FOR UPDATE SKIP LOCKED`, so several instances share
 * the work; a restart resumes where it stopped (decided documents are skipped).
 */
@Injectable()
export class ScanProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ScanProcessor');
  private readonly loop: PollingLoop;

  constructor(
    private readonly repo: ScanRepository,
    private readonly scan: ProcessScanBatchUseCase,
    @Inject(INTAKE_SETTINGS) settings: IntakeSettings,
  ) {
    this.loop = new PollingLoop('ScanProcessor', () => this.tick(), settings.scan.processPollMs, this.log);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** Processes the claimable batches one by one; returns how many it processed. */
  private async tick(): Promise<number> {
    let processed = 0;
    for (
      let batch = await this.repo.claimReadyBatch(LEASE_MINUTES);
      batch && !this.loop.stopped;
      batch = await this.repo.claimReadyBatch(LEASE_MINUTES)
    ) {
      await this.scan.processBatch(batch);
      processed += 1;
    }
    return processed;
  }
}
