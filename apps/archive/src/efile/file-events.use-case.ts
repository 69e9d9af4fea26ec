import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  type AttachmentRefDto,
  type CaseEvidenceAddedV1,
  type CaseStatusChangedV1,
  type OutboundInvoiceIssuedV1,
} from '@poststelle/contracts';
import { Logger } from '@poststelle/telemetry';
import { Journal } from '../journal/journal';
import { DocumentRecorder, type IncomingDocument } from './document-recorder';
import { EFileRepository } from './efile.repository';

const SYSTEM = 'system:archive';
const CLOSING = new Set(['COMPLETED', 'REJECTED']);

/** Files follow-ups (`cases.evidence.v1`) and status reports (with their notices) into an open e-file. */
@Injectable()
export class FileEventsUseCase {
  private readonly log = new Logger('FileEvents');

  constructor(
    private readonly files: EFileRepository,
    private readonly recorder: DocumentRecorder,
    private readonly journal: Journal,
  ) {}

  private async attachments(list: AttachmentRefDto[] | undefined, kind: IncomingDocument['kind']): Promise<IncomingDocument[]> {
    const docs: IncomingDocument[] = [];
    for (const a of list ?? []) {
      docs.push({
        kind,
        title: a.fileName,
        fileName: a.fileName,
        mediaType: a.mediaType,
        bytes: await this.recorder.readBlob(a.sha512),
        sha512: a.sha512,
        blobRef: a.blobRef,
      });
    }
    return docs;
  }

  /** A follow-up: one Vorgang with the raw email (if it came by email) and every attachment. */
  async addEvidence(manager: EntityManager, fileId: string, evidence: CaseEvidenceAddedV1, messageId: string): Promise<void> {
    const docs: IncomingDocument[] = [];
    const raw = evidence.email?.rawMessageSha512;
    if (raw && (await this.recorder.hasBlob(raw))) {
      docs.push({
        kind: 'email',
        title: 'E-Mail',
        fileName: 'nachricht.eml',
        mediaType: 'message/rfc822',
        bytes: await this.recorder.readBlob(raw),
        sha512: raw,
      });
    }
    docs.push(...(await this.attachments(evidence.attachments, 'follow-up')));
    const processId = randomUUID();
    const title =
      evidence.channel === 'email' ? 'Nachreichung per E-Mail' : evidence.channel === 'scan' ? 'Nachreichung (Scan)' : 'Nachreichung';
    await this.files.insertProcess(manager, { processId, fileId, kind: 'follow-up', title, openedAt: evidence.receivedAt });
    await this.journal.append(manager, fileId, SYSTEM, 'process-opened', {
      processId,
      kind: 'follow-up',
      title,
      channel: evidence.channel,
      messageId,
      writtenForm: { means: evidence.writtenForm.means, satisfied: evidence.writtenForm.satisfied },
    });
    for (const d of docs) await this.recorder.add(manager, fileId, processId, d, SYSTEM);
    this.log.info('follow-up filed', { fileId, documents: docs.length, channel: evidence.channel });
  }

  /**
   * A fee invoice erechnung issued: its renderings (UBL, CII) are filed as documents when their bytes are in the shared
   * blob store under the hashes the event names; otherwise the invoice is journaled with its number and hashes only.
   */
  async recordInvoice(manager: EntityManager, fileId: string, invoice: OutboundInvoiceIssuedV1): Promise<void> {
    const available: OutboundInvoiceIssuedV1['documents'] = [];
    for (const d of invoice.documents) if (await this.recorder.hasBlob(d.sha512)) available.push(d);
    await this.journal.append(manager, fileId, SYSTEM, 'invoice-issued', {
      invoiceId: invoice.invoiceId,
      invoiceNumber: invoice.invoiceNumber,
      issueDate: invoice.issueDate,
      documents: invoice.documents.map((d) => ({ format: d.format, sha512: d.sha512, filed: available.includes(d) })),
    });
    if (available.length === 0) return;
    let processId = await this.files.processOfKind(manager, fileId, 'status');
    if (!processId) {
      processId = randomUUID();
      await this.files.insertProcess(manager, {
        processId,
        fileId,
        kind: 'status',
        title: 'Bearbeitung und Bescheide',
        openedAt: invoice.issuedAt,
      });
      await this.journal.append(manager, fileId, SYSTEM, 'process-opened', {
        processId,
        kind: 'status',
        title: 'Bearbeitung und Bescheide',
      });
    }
    for (const d of available) {
      await this.recorder.add(
        manager,
        fileId,
        processId,
        {
          kind: 'invoice',
          title: `Gebührenrechnung ${invoice.invoiceNumber} (${d.format.toUpperCase()})`,
          fileName: `${invoice.invoiceNumber}-${d.format}.xml`,
          mediaType: 'application/xml',
          bytes: await this.recorder.readBlob(d.sha512),
          sha512: d.sha512,
        },
        SYSTEM,
      );
    }
  }

  /**
   * A status report: the status history (a document whose next version is the history so far), the notices it
   * carries, and on COMPLETED or REJECTED the file's closing, from which its retention runs.
   */
  async recordStatus(manager: EntityManager, fileId: string, status: CaseStatusChangedV1, messageId: string): Promise<void> {
    const fresh = await this.files.insertStatus(manager, {
      fileId,
      messageId,
      status: status.status,
      reportedBy: status.reportedBy,
      reportedAt: status.reportedAt,
    });
    if (!fresh) return;
    await this.journal.append(manager, fileId, status.reportedBy, 'status-changed', {
      status: status.status,
      reportedAt: status.reportedAt,
      messageId,
    });
    const history = await this.files.statusHistory(manager, fileId);
    const bytes = Buffer.from(
      JSON.stringify(
        history.map((h) => ({ status: h.status, reportedBy: h.reportedBy, reportedAt: h.reportedAt.toISOString() })),
        null,
        2,
      ),
    );
    const historyDoc: IncomingDocument = {
      kind: 'status-history',
      title: 'Statusverlauf',
      fileName: 'statusverlauf.json',
      mediaType: 'application/json',
      bytes,
    };
    let processId = await this.files.processOfKind(manager, fileId, 'status');
    if (!processId) {
      processId = randomUUID();
      await this.files.insertProcess(manager, {
        processId,
        fileId,
        kind: 'status',
        title: 'Bearbeitung und Bescheide',
        openedAt: status.reportedAt,
      });
      await this.journal.append(manager, fileId, SYSTEM, 'process-opened', {
        processId,
        kind: 'status',
        title: 'Bearbeitung und Bescheide',
      });
    }
    const existing = await this.files.documentOfKind(manager, fileId, 'status-history');
    if (existing) await this.recorder.addVersion(manager, fileId, existing, historyDoc, SYSTEM);
    else await this.recorder.add(manager, fileId, processId, historyDoc, SYSTEM);
    for (const notice of await this.attachments(status.documents, 'notice'))
      await this.recorder.add(manager, fileId, processId, notice, SYSTEM);
    if (CLOSING.has(status.status)) {
      await this.files.close(manager, fileId, status.reportedAt);
      const file = await this.files.file(manager, fileId);
      await this.journal.append(manager, fileId, SYSTEM, 'file-closed', {
        status: status.status,
        closedAt: file?.closedAt?.toISOString() ?? status.reportedAt,
        retentionYears: file?.retentionYears ?? null,
        retentionEndsAt: file?.retentionEndsAt?.toISOString() ?? null,
      });
    }
  }
}
