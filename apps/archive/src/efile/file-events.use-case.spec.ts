import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { type OutboundInvoiceIssuedV1 } from '@poststelle/contracts';
import { type Journal } from '../journal/journal';
import { type DocumentRecorder } from './document-recorder';
import { type EFileRepository } from './efile.repository';
import { FileEventsUseCase } from './file-events.use-case';

const manager = {} as EntityManager;
const invoice: OutboundInvoiceIssuedV1 = {
  invoiceId: randomUUID(),
  caseId: randomUUID(),
  feeId: randomUUID(),
  tenantArs: '120540000000',
  invoiceNumber: 'RE-000042',
  sequence: 42,
  issueDate: '2026-12-06',
  dueDate: '2027-01-05',
  payableAmount: '30.50',
  currency: 'EUR',
  kassenzeichen: '12054-2026-000001',
  vatCategory: 'O',
  documents: [
    { format: 'ubl', sha512: 'a'.repeat(128) },
    { format: 'cii', sha512: 'b'.repeat(128) },
  ],
  issuedAt: new Date().toISOString(),
};

function setUp(blobsPresent: boolean) {
  const files = { processOfKind: jest.fn().mockResolvedValue('process-1') } as unknown as EFileRepository;
  const recorder = {
    hasBlob: jest.fn().mockResolvedValue(blobsPresent),
    readBlob: jest.fn().mockResolvedValue(Buffer.from('<Invoice/>')),
    add: jest.fn().mockResolvedValue(randomUUID()),
  } as unknown as DocumentRecorder;
  const journal = { append: jest.fn().mockResolvedValue({}) } as unknown as Journal;
  return { useCase: new FileEventsUseCase(files, recorder, journal), recorder, journal };
}

describe('fee invoices in the e-file', () => {
  it('files both renderings when their bytes are in the shared blob store', async () => {
    const { useCase, recorder, journal } = setUp(true);
    await useCase.recordInvoice(manager, 'file-1', invoice);
    expect(journal.append).toHaveBeenCalledWith(
      manager,
      'file-1',
      'system:archive',
      'invoice-issued',
      expect.objectContaining({ invoiceNumber: 'RE-000042' }),
    );
    expect(recorder.add).toHaveBeenCalledTimes(2);
    expect(recorder.add).toHaveBeenCalledWith(
      manager,
      'file-1',
      'process-1',
      expect.objectContaining({
        kind: 'invoice',
        title: 'Gebührenrechnung RE-000042 (UBL)',
        mediaType: 'application/xml',
        sha512: 'a'.repeat(128),
      }),
      'system:archive',
    );
  });

  it('journals number and hashes only when the bytes are not available', async () => {
    const { useCase, recorder, journal } = setUp(false);
    await useCase.recordInvoice(manager, 'file-1', invoice);
    expect(journal.append).toHaveBeenCalledWith(
      manager,
      'file-1',
      'system:archive',
      'invoice-issued',
      expect.objectContaining({
        documents: [expect.objectContaining({ format: 'ubl', filed: false }), expect.objectContaining({ format: 'cii', filed: false })],
      }),
    );
    expect(recorder.add).not.toHaveBeenCalled();
  });
});
