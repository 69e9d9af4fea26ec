import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE, type Principal } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { tenantPrefixes } from '../domain/tenant-scope';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment.config';
import { PaymentsRepository } from '../payments/payments.repository';
import { renderFeeNotice, type FeeNotice } from './fee-notice.pdf';
import { PayeeRepository } from './payee.repository';

const DAY_MS = 86_400_000;

/**
 * The fee notice of a case's payment as a PDF carrying its Kassenzeichen. Rendered from what payment holds (the same
 * state renders the same bytes), kept in the shared blob store under its SHA-512 and remembered on the payment.
 */
@Injectable()
export class FeeNoticeUseCase {
  private readonly log = new Logger('FeeNotice');

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly payees: PayeeRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(PAYMENT_SETTINGS) private readonly settings: Pick<PaymentSettings, 'notice'>,
  ) {}

  /**
   * Caseworkers see the notices of their tenants. A channel (no tenants) gets the notice of the case it names, as it
   * starts the online payment of it: payment does not learn which client submitted a case (ADR 0019), and the notice
   * carries no personal data of the applicant.
   */
  async execute(principal: Principal | undefined, caseId: string): Promise<{ pdf: Buffer; sha512: string; fileName: string }> {
    const m = this.dataSource.manager;
    const scope = principal?.roles.includes('channel') && principal.tenants.length === 0 ? null : tenantPrefixes(principal);
    const payment = await this.payments.byCase(m, caseId, scope);
    if (!payment) throw new PaymentException(PaymentErrorCode.PaymentNotFound, `no fee is due for case ${caseId} (or not yet)`);
    const payee = await this.payees.get(m, payment.tenantArs);
    const issued = new Date(payment.createdAt);
    const notice: FeeNotice = {
      authorityName: payee?.authorityName ?? `Behörde ${payment.tenantArs}`,
      tenantArs: payment.tenantArs,
      caseId: payment.caseId,
      serviceName: payment.serviceName,
      leikaKey: payment.leikaKey,
      amountDue: payment.amountDue,
      amountPaid: payment.amountPaid,
      bookingText: payment.bookingText,
      kassenzeichen: payment.kassenzeichen,
      payee: payee ? { accountHolder: payee.accountHolder, iban: payee.iban, bic: payee.bic } : null,
      issuedOn: issued.toISOString().slice(0, 10),
      dueOn: new Date(issued.getTime() + (payee?.paymentDays ?? this.settings.notice.paymentDays) * DAY_MS).toISOString().slice(0, 10),
    };
    const pdf = await renderFeeNotice(notice);
    const { sha512 } = await this.blobs.put(pdf);
    await this.payments.setNotice(m, payment.paymentId, sha512);
    this.log.info('fee notice rendered', { caseId, paymentId: payment.paymentId, sha512, payeeKnown: payee !== undefined });
    return { pdf, sha512, fileName: `Zahlungsaufforderung-${payment.kassenzeichen}.pdf` };
  }
}
