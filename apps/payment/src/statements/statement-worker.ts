import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PollingLoop } from '@poststelle/platform';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment.config';
import { ReconcileItemsUseCase } from './reconcile-items.use-case';

/** Reconciles pending statement items in the background; after a restart it resumes the imports left running. */
@Injectable()
export class StatementWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(reconcile: ReconcileItemsUseCase, @Inject(PAYMENT_SETTINGS) settings: PaymentSettings) {
    this.loop = new PollingLoop('statement-worker', () => reconcile.runChunk(settings.statements.chunkSize), 1000);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  nudge(): void {
    this.loop.nudge();
  }
}
