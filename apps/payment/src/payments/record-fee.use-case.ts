import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventTypes, Topics, type CaseV1, type FeeEventV1 } from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { formatKassenzeichen } from '../domain/kassenzeichen';
import { toUnits } from '../domain/money';
import { feePayer, pickFee } from '../fees/fee-policy';
import { FeeScheduleRepository } from '../fees/fee-schedule.repository';
import { PaymentsRepository } from './payments.repository';

/**
 * On receipt of a case: looks up the fee in effect for its service and tenant and records what is due. A payable
 * case gets a payment (INITIAL) with a Kassenzeichen issued here; a Kassenzeichen the portal sent is kept only as
 * the portal's reference. Publishes `fee.due` or `fee.not-required` (once per case: a redelivery records nothing).
 */
@Injectable()
export class RecordFeeUseCase {
  private readonly log = new Logger('RecordFee');

  constructor(
    private readonly fees: FeeScheduleRepository,
    private readonly payments: PaymentsRepository,
  ) {}

  async execute(manager: EntityManager, kase: CaseV1, causationId: string): Promise<void> {
    if (await this.payments.alreadyRecorded(manager, kase.caseId)) return;
    const fee = pickFee(kase.tenant.ars, await this.fees.versionsFor(manager, kase.service.leikaKey));
    const due = fee !== undefined && fee.policy !== 'none' && toUnits(fee.amount) > 0n;
    const feeId = randomUUID();
    const info = kase.paymentInformation;
    let kz: string | undefined;
    if (due) {
      const year = new Date().getUTCFullYear();
      kz = formatKassenzeichen(kase.tenant.ars, year, await this.payments.nextSequence(manager, kase.tenant.ars, year));
      await this.payments.insert(manager, {
        paymentId: feeId,
        caseId: kase.caseId,
        feeId,
        tenantArs: kase.tenant.ars,
        leikaKey: kase.service.leikaKey,
        serviceName: kase.service.name ?? null,
        kassenzeichen: kz,
        portalReference: info?.transactionReference ?? null,
        amountDue: fee.amount,
        currency: 'EUR',
        policy: fee.policy,
        bookingText: fee.bookingText,
        paymentMethod: info?.paymentMethod ?? null,
        providerTransactionId: info?.transactionId ?? null,
      });
      await this.payments.recordTransition(manager, feeId, {
        from: null,
        to: 'INITIAL',
        amountPaid: '0.00',
        reason: `fee ${fee.amount} EUR due (fee schedule ${fee.arsPrefix} version ${fee.version}, policy ${fee.policy})${
          info?.status && info.status !== 'INITIAL' ? `; the portal claims ${info.status}, which is only believed from the provider` : ''
        }`,
        source: 'fee-schedule',
        requestId: `case:${kase.caseId}`,
      });
    } else {
      await this.payments.insertWithoutFee(manager, kase.caseId, kase.tenant.ars, kase.service.leikaKey);
    }
    const payer = due ? feePayer(kase) : undefined;
    const event: FeeEventV1 = {
      kind: due ? 'fee.due' : 'fee.not-required',
      caseId: kase.caseId,
      feeId,
      tenantArs: kase.tenant.ars,
      leikaKey: kase.service.leikaKey,
      amount: due ? fee.amount : '0.00',
      currency: 'EUR',
      ...(kz ? { kassenzeichen: kz } : {}),
      ...(due ? { bookingText: fee.bookingText } : {}),
      ...(info ? { paymentMethod: info.paymentMethod } : {}),
      policy: fee?.policy ?? 'none',
      ...(payer ? { payer } : {}),
      recordedAt: new Date().toISOString(),
    };
    await addToOutbox(manager, {
      topic: Topics.paymentsEvents,
      key: kase.caseId,
      type: due ? EventTypes.feeDue : EventTypes.feeNotRequired,
      payload: event,
      correlationId: kase.caseId,
      causationId,
      tenant: kase.tenant.ars,
    });
    this.log.info('fee recorded', { caseId: kase.caseId, feeId, kind: event.kind, amount: event.amount });
  }
}
