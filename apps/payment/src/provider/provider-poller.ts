import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PollingLoop } from '@poststelle/platform';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment.config';
import { OnlinePaymentUseCase } from './online-payment.use-case';
import { ProviderRepository } from './provider.repository';

/**
 * Asks the provider for the status of open online payments: at once after start and on the citizen's return, then
 * with exponential backoff (base · 2^attempts, capped) until a final answer. A timeout or error is never giving up.
 */
@Injectable()
export class ProviderPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
    private readonly dataSource: DataSource,
    private readonly provider: ProviderRepository,
    private readonly online: OnlinePaymentUseCase,
  ) {
    this.loop = new PollingLoop('provider-poller', () => this.round(), settings.provider.pollMs);
  }

  /** Credentials stored in clear before encryption existed are encrypted first, then polling starts. */
  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction((m) => this.provider.encryptLegacyCredentials(m));
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  backoff = (attempts: number): number => {
    const { backoffBaseMs, backoffMaxMs } = this.settings.provider;
    return Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(attempts, 20));
  };

  async round(): Promise<number> {
    const lease = this.settings.provider.timeoutMs * 2;
    const due = await this.provider.claimDue(this.dataSource.manager, 20, lease);
    for (const candidate of due) {
      const delay = await this.online.poll(candidate, this.backoff);
      await this.provider.reschedule(this.dataSource.manager, candidate.paymentId, delay);
    }
    return due.length;
  }
}
