import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventTypes, Topics, type FeeEventV1, type InvoiceFeeRecordedV1 } from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { billedByInvoice } from '../outbound/fee-invoice-model';
import { FeeRecordsRepository } from './fee-records.repository';

/**
 * Stores every fee due so it can be invoiced (XRechnung when billed by invoice) and announces it on
 * `invoices.events.v1`. Fees that are not required leave no record.
 */
@Injectable()
export class RecordFeeForInvoicingUseCase {
  private readonly log = new Logger('RecordFeeForInvoicing');

  constructor(private readonly fees: FeeRecordsRepository) {}

  async execute(manager: EntityManager, fee: FeeEventV1, causationId: string): Promise<void> {
    if (fee.kind !== 'fee.due') return;
    const invoiceCandidateId = randomUUID();
    const billing = billedByInvoice(fee) ? 'invoice' : fee.paymentMethod ? 'online-payment' : 'not-chosen';
    // A fee redelivered under a new message id is recorded (and announced) once.
    const recorded = await this.fees.recordOnce(manager, {
      caseId: fee.caseId,
      feeId: fee.feeId,
      invoiceCandidateId,
      tenantArs: fee.tenantArs,
      amount: fee.amount,
      kassenzeichen: fee.kassenzeichen ?? null,
      billing,
    });
    if (!recorded) return;
    const event: InvoiceFeeRecordedV1 = {
      caseId: fee.caseId,
      feeId: fee.feeId,
      invoiceCandidateId,
      tenantArs: fee.tenantArs,
      amount: fee.amount,
      currency: 'EUR',
      billing,
      recordedAt: new Date().toISOString(),
    };
    await addToOutbox(manager, {
      topic: Topics.invoicesEvents,
      key: fee.caseId,
      type: EventTypes.invoiceFeeRecorded,
      payload: event,
      correlationId: fee.caseId,
      causationId,
      tenant: fee.tenantArs,
    });
    this.log.info('fee recorded for invoicing', { caseId: fee.caseId, feeId: fee.feeId, billing });
  }
}
