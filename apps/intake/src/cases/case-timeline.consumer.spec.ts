import { randomUUID } from 'node:crypto';
import { ContractValidationError, EventTypes, Topics, type EventEnvelope } from '@poststelle/contracts';
import { NonRetriableError, type MessageContext, type MessagingRuntime } from '@poststelle/messaging';
import { strictMock } from '@poststelle/testing';
import { type EntityManager } from 'typeorm';
import { CaseTimelineConsumer } from './case-timeline.consumer';
import { type CasesRepository } from './cases.repository';

const caseId = randomUUID();
const fee = {
  kind: 'fee.due',
  caseId,
  feeId: randomUUID(),
  tenantArs: '120540000000',
  leikaKey: '99050012104000',
  amount: '30.00',
  currency: 'EUR',
  kassenzeichen: 'KZ-1',
  policy: 'before-processing',
  recordedAt: '2026-12-06T10:00:00.000Z',
};

function envelope(type: string, payload: unknown): EventEnvelope {
  return { id: randomUUID(), type, occurredAt: '2026-12-06T10:00:00.000Z', correlationId: caseId, payload } as unknown as EventEnvelope;
}

function consumer() {
  const recordTimelineEntry = jest.fn<Promise<void>, Parameters<CasesRepository['recordTimelineEntry']>>().mockResolvedValue(undefined);
  const cases = strictMock<CasesRepository>('CasesRepository', { recordTimelineEntry });
  const unit = new CaseTimelineConsumer(strictMock<MessagingRuntime>('MessagingRuntime'), cases);
  const record = (e: EventEnvelope) =>
    unit.record({ manager: {} as EntityManager, envelope: e, topic: Topics.paymentsEvents } as unknown as MessageContext);
  return { record, recordTimelineEntry };
}

describe('the case timeline reads only validated events', () => {
  it('records a valid fee event with its summary', async () => {
    const { record, recordTimelineEntry } = consumer();
    await record(envelope(EventTypes.feeDue, fee));
    expect(recordTimelineEntry).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        caseId,
        eventType: 'fee.due',
        summary: expect.objectContaining({ amount: '30.00', kassenzeichen: 'KZ-1' }) as unknown,
      }),
    );
  });

  it('records a payment transition in words, without the free-text reason', async () => {
    const { record, recordTimelineEntry } = consumer();
    const changed = {
      paymentId: randomUUID(),
      caseId,
      tenantArs: '120540000000',
      kassenzeichen: '12054-2026-0000042-7',
      policy: 'mandatory-before-processing',
      previousStatus: 'INITIAL',
      status: 'BOOKED',
      amountDue: '25.00',
      amountPaid: '25.00',
      currency: 'EUR',
      reason: 'credit of 25.00 from Erika Mustermann',
      source: 'statement:4f1c/0.0.0',
      changedAt: '2026-12-06T10:00:00.000Z',
    };
    await record(envelope(EventTypes.paymentStatusChanged, changed));
    const [, entry] = recordTimelineEntry.mock.calls[0]!;
    expect(entry).toMatchObject({ caseId, eventType: 'payment.status-changed' });
    expect(entry.summary).toMatchObject({
      message: 'payment booked: 25.00 of 25.00 EUR paid, Kassenzeichen 12054-2026-0000042-7',
      status: 'BOOKED',
      reportedBy: 'statement',
    });
    expect(JSON.stringify(entry.summary)).not.toContain('Mustermann');
  });

  it('an invalid payload is refused with its field errors (dead-lettered) and nothing is recorded', async () => {
    const { record, recordTimelineEntry } = consumer();
    const error = await record(envelope(EventTypes.feeDue, { ...fee, amount: 'thirty' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractValidationError);
    expect((error as ContractValidationError).errors.map((e) => e.field)).toEqual(['amount']);
    expect(recordTimelineEntry).not.toHaveBeenCalled();
  });

  it.each([
    EventTypes.caseRouted,
    EventTypes.manualRoutingRequired,
    EventTypes.archiveFileOpened,
    EventTypes.invoiceFeeRecorded,
    EventTypes.invoiceIssued,
    EventTypes.paymentStatusChanged,
  ])('a %s event that breaks its contract is refused', async (type) => {
    const { record, recordTimelineEntry } = consumer();
    await expect(record(envelope(type, { caseId: 'not-a-uuid' }))).rejects.toBeInstanceOf(ContractValidationError);
    expect(recordTimelineEntry).not.toHaveBeenCalled();
  });

  it('an event type without a contract is refused, never retried', async () => {
    const { record } = consumer();
    await expect(record(envelope('case.teleported', { caseId }))).rejects.toBeInstanceOf(NonRetriableError);
  });

  it('inbound e-invoices belong to no case and are skipped', async () => {
    const { record, recordTimelineEntry } = consumer();
    await record(envelope(EventTypes.invoiceReceived, { anything: true }));
    expect(recordTimelineEntry).not.toHaveBeenCalled();
  });
});
