import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ValidationReport } from '@poststelle/xrechnung';

/** The accounting destination a Leitweg-ID resolves to, and the authority's name. */
export interface Destination {
  tenantArs: string;
  destination: string;
  name: string;
}

export interface NewInboundInvoice {
  invoiceId: string;
  document: Buffer;
  report: ValidationReport;
  leitwegId: string | null;
  destination: Destination | undefined;
  seller: string | null;
  duplicateOf: string | null;
  channel: 'http' | 'email';
  submissionId: string | null;
  /** Where an emailed invoice came from (never the sender's address). */
  source: Record<string, unknown> | null;
}

export interface RecordedInvoice {
  invoiceId: string;
  accepted: boolean;
  report: ValidationReport;
  duplicateOf: string | null;
  destination: string | null;
}

/** The answer queued for the sender of an emailed invoice: to whom and on which basis, or why it is withheld. */
export interface NewInvoiceReply {
  invoiceId: string;
  to: { kind: 'send'; to: string; basis: string } | { kind: 'withheld'; reason: string };
  inReplyTo: string | null;
  subject: string;
  body: string;
  attachReport: boolean;
}

/** `erechnung.inbound_invoices`, the Leitweg-ID destinations they resolve to, and the answers to emailed ones. */
@Injectable()
export class InboundInvoicesRepository {
  async destination(m: EntityManager, leitwegId: string): Promise<Destination | undefined> {
    const [row] = await m.query<Destination[]>(
      'SELECT tenant_ars AS "tenantArs", destination, name FROM erechnung.accounting_destinations WHERE leitweg_id = $1',
      [leitwegId],
    );
    return row;
  }

  /** The first accepted invoice with the same seller, number and issue date: what a new one duplicates. */
  async earlierAccepted(m: EntityManager, seller: string, invoiceNumber: string, issueDate: string): Promise<string | null> {
    const [earlier] = await m.query<{ invoice_id: string }[]>(
      `SELECT invoice_id FROM erechnung.inbound_invoices WHERE accepted AND seller = $1 AND invoice_number = $2 AND issue_date = $3
        ORDER BY received_at LIMIT 1`,
      [seller, invoiceNumber, issueDate],
    );
    return earlier?.invoice_id ?? null;
  }

  async insert(m: EntityManager, i: NewInboundInvoice): Promise<void> {
    await m.query(
      `INSERT INTO erechnung.inbound_invoices (invoice_id, document, document_sha256, accepted, report, syntax, leitweg_id, tenant_ars, destination,
         seller, invoice_number, issue_date, duplicate_of, channel, submission_id, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        i.invoiceId,
        i.document,
        i.report.documentSha256,
        i.report.accepted,
        JSON.stringify(i.report),
        i.report.syntax ?? null,
        i.leitwegId,
        i.destination?.tenantArs ?? null,
        i.destination?.destination ?? null,
        i.seller,
        i.report.summary.invoiceNumber ?? null,
        i.report.summary.issueDate ?? null,
        i.duplicateOf,
        i.channel,
        i.submissionId,
        i.source ? JSON.stringify(i.source) : null,
      ],
    );
  }

  /** The invoice an email submission was recorded as, if it was. */
  async bySubmission(m: EntityManager, submissionId: string): Promise<RecordedInvoice | undefined> {
    const [row] = await m.query<RecordedInvoice[]>(
      `SELECT invoice_id AS "invoiceId", accepted, report, duplicate_of AS "duplicateOf", destination
         FROM erechnung.inbound_invoices WHERE submission_id = $1`,
      [submissionId],
    );
    return row;
  }

  async addReply(m: EntityManager, r: NewInvoiceReply): Promise<void> {
    const send = r.to.kind === 'send' ? r.to : undefined;
    await m.query(
      `INSERT INTO erechnung.invoice_replies (invoice_id, recipient, recipient_basis, withheld_reason, state, in_reply_to, subject, body, attach_report)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        r.invoiceId,
        send?.to ?? null,
        send?.basis ?? null,
        r.to.kind === 'withheld' ? r.to.reason : null,
        send ? 'pending' : 'withheld',
        r.inReplyTo,
        r.subject,
        r.body,
        r.attachReport,
      ],
    );
  }
}
