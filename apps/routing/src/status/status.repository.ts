import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CaseStatusChangedV1 } from '@poststelle/contracts';
import { addToOutbox, type OutgoingMessage } from '@poststelle/messaging';

/**
 * One notification to the applicant. `email`: pending, sent by the NotificationDispatcher after commit. `postal` and
 * `portal`: handed over at once to the print-and-mail service or the portal mailbox through `handOver`, a message
 * written to the outbox in the same transaction.
 */
export type NewNotification = {
  notificationId: string;
  caseId: string;
  statusMessageId: string;
  recipient: string;
  subject: string;
  body: string;
} & ({ channel: 'email' } | { channel: 'postal' | 'portal'; handOver: OutgoingMessage<unknown> });

/** `routing.case_status_history` and `routing.notifications` as the status is recorded. */
@Injectable()
export class StatusRepository {
  /** Adds the status to the case's history; false when this status message was recorded before (redelivery). */
  async addToHistory(m: EntityManager, messageId: string, status: CaseStatusChangedV1): Promise<boolean> {
    const inserted = await m.query<unknown[]>(
      `INSERT INTO routing.case_status_history (message_id, case_id, procedure_id, status, message, documents, reported_by, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
      [
        messageId,
        status.caseId,
        status.procedureId,
        status.status,
        status.message ?? null,
        JSON.stringify(status.documents ?? []),
        status.reportedBy,
        status.reportedAt,
      ],
    );
    return inserted.length > 0;
  }

  async addNotification(m: EntityManager, n: NewNotification): Promise<void> {
    const handedOver = n.channel !== 'email';
    await m.query(
      `INSERT INTO routing.notifications (notification_id, case_id, status_message_id, channel, recipient, subject, body, state, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8 = 'handed-over' THEN now() END)`,
      [n.notificationId, n.caseId, n.statusMessageId, n.channel, n.recipient, n.subject, n.body, handedOver ? 'handed-over' : 'pending'],
    );
    if (n.channel !== 'email') await addToOutbox(m, n.handOver);
  }
}
