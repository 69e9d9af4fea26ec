import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventTypes, Topics, type CaseV1, type FeeEventV1 } from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { feePayer, kassenzeichen, pickFee, type FeeRow } from './fee-policy';

/** Looks up the fee for the routed case and records what is due (`fee.due`) or that nothing is (`fee.not-required`). */
@Injectable()
export class RecordFeeUseCase {
  private readonly log = new Logger('RecordFee');

  async execute(manager: EntityManager, kase: CaseV1, causationId: string): Promise<void> {
    const rows = await manager.query<FeeRow[]>(
      `SELECT ars_prefix AS "arsPrefix", amount::text AS amount, policy, booking_text AS "bookingText" FROM payment.fees WHERE leika_key = $1`,
      [kase.service.leikaKey],
    );
    const fee = pickFee(kase.tenant.ars, rows);
    const due = fee !== undefined && fee.policy !== 'none' && Number(fee.amount) > 0;
    const feeId = randomUUID();
    let kz: string | undefined;
    if (due) {
      if (kase.paymentInformation?.transactionReference) {
        kz = kase.paymentInformation.transactionReference;
      } else {
        const [{ seq }] = await manager.query<[{ seq: number }]>(`SELECT nextval('payment.kassenzeichen_seq')::int AS seq`);
        kz = kassenzeichen(kase.tenant.ars, new Date().getUTCFullYear(), seq);
      }
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
      ...(kase.paymentInformation ? { paymentMethod: kase.paymentInformation.paymentMethod } : {}),
      policy: fee?.policy ?? 'none',
      ...(payer ? { payer } : {}),
      recordedAt: new Date().toISOString(),
    };
    await manager.query(
      `INSERT INTO payment.payment_dues (case_id, fee_id, tenant_ars, leika_key, amount, kassenzeichen, policy, payment_method, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        kase.caseId,
        feeId,
        kase.tenant.ars,
        kase.service.leikaKey,
        event.amount,
        kz ?? null,
        event.policy,
        event.paymentMethod ?? null,
        due ? 'open' : 'not-required',
      ],
    );
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
