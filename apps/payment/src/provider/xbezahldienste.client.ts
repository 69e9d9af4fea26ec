import { Inject, Injectable } from '@nestjs/common';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment.config';

export interface ProviderConfig {
  tenantArs: string;
  endpoint: string;
  /** `<originatorId>/<endPointId>` of the merchant at the platform. */
  merchantId: string;
  /** `user:password` for HTTP Basic authentication. */
  credentials: string;
}

export type ProviderStatus = 'INITIAL' | 'PAYED' | 'FAILED' | 'CANCELED';

export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

/**
 * The online payment platform's interface after XBezahldienste 1.2.0: create a payment transaction (purpose,
 * amount, items, redirect URLs) and query its status; the platform never pushes. Every call has a timeout; a
 * timeout, a 5xx or an unreadable answer is `ProviderUnavailableError` (asked again later).
 */
@Injectable()
export class XBezahldiensteClient {
  constructor(@Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings) {}

  async create(
    config: ProviderConfig,
    tx: { requestId: string; purpose: string; amount: string; items: { description: string; amount: string }[]; returnUrl: string },
  ): Promise<{ transactionId: string; paypageUrl: string }> {
    const body = await this.call(config, 'POST', '', {
      requestId: tx.requestId,
      purpose: tx.purpose,
      amount: tx.amount,
      currency: 'EUR',
      items: tx.items,
      redirectUrls: { success: tx.returnUrl, failure: tx.returnUrl, cancel: tx.returnUrl },
    });
    const transactionId = body['paymentTransactionId'];
    const paypageUrl = body['paypageUrl'];
    if (typeof transactionId !== 'string' || typeof paypageUrl !== 'string')
      throw new ProviderUnavailableError('the provider answered without transaction id or paypage URL');
    return { transactionId, paypageUrl };
  }

  /** The transaction's status and, when the platform says, the amount it took (a decimal string). */
  async status(config: ProviderConfig, transactionId: string): Promise<{ status: ProviderStatus; amount: string | undefined }> {
    const body = await this.call(config, 'GET', `/${encodeURIComponent(transactionId)}`);
    const status = body['status'];
    const amount = typeof body['amount'] === 'string' && /^\d{1,12}(\.\d{1,5})?$/.test(body['amount']) ? body['amount'] : undefined;
    if (status === 'INITIAL' || status === 'PAYED' || status === 'FAILED' || status === 'CANCELED') return { status, amount };
    throw new ProviderUnavailableError(`the provider answered an unknown status '${String(status)}'`);
  }

  private async call(config: ProviderConfig, method: 'GET' | 'POST', suffix: string, payload?: unknown): Promise<Record<string, unknown>> {
    const url = `${config.endpoint.replace(/\/$/, '')}/paymenttransaction/${config.merchantId}${suffix}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(config.credentials).toString('base64')}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload ? { body: JSON.stringify(payload) } : {}),
        signal: AbortSignal.timeout(this.settings.provider.timeoutMs),
      });
    } catch (error) {
      throw new ProviderUnavailableError(`the provider did not answer: ${(error as Error).message}`);
    }
    if (!res.ok) throw new ProviderUnavailableError(`the provider answered ${res.status}`);
    try {
      return (await res.json()) as Record<string, unknown>;
    } catch {
      throw new ProviderUnavailableError('the provider answered with no JSON');
    }
  }
}
