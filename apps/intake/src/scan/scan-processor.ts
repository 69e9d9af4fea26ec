import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Logger } from '@poststelle/telemetry';
import { INTAKE_SETTINGS, type IntakeSettings } from '../intake.config';
import { ScanRepository } from './scan.repository';
import { ScanIntakeUseCase } from './scan-intake.use-case';

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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly repo: ScanRepository,
    private readonly scan: ScanIntakeUseCase,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.settings.scan.processPollMs));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      for (
        let batch = await this.repo.claimReadyBatch(LEASE_MINUTES);
        batch && !this.stopped;
        batch = await this.repo.claimReadyBatch(LEASE_MINUTES)
      ) {
        await this.scan.processBatch(batch);
      }
    } catch (error) {
      this.log.error('scan batch processing failed; retried later', { error: (error as Error).message });
    }
  }
}
