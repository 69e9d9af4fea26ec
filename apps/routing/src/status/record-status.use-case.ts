import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  EventTypes,
  Topics,
  type CaseStatusChangedV1,
  type PortalMessageV1,
  type PostalAddressDto,
  type PostalLetterV1,
  type ReplyChannelDto,
} from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { statusNotification } from './status-texts';

/**
 * Keeps a case's status history and tells the applicant through the case's reply channel, in the same transaction:
 * an email notification row (sent and retried by the NotificationDispatcher), a letter order for the print-and-mail
 * service (`postal`, outbox) or a portal-mailbox message (outbox). The status message id makes it idempotent: a
 * redelivered status message records nothing and notifies no one a second time.
 */
@Injectable()
export class RecordStatusUseCase {
  private readonly log = new Logger('RecordStatus');

  async execute(
    manager: EntityManager,
    messageId: string,
    status: CaseStatusChangedV1,
    applicant: { replyChannel: ReplyChannelDto | null; tenantArs: string },
  ): Promise<boolean> {
    const { replyChannel } = applicant;
    const inserted = await manager.query<unknown[]>(
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
    if (inserted.length === 0) return false;
    const text = statusNotification(status.caseId, status.status, status.message);
    if (replyChannel?.eMail) {
      await manager.query(
        `INSERT INTO routing.notifications (notification_id, case_id, status_message_id, channel, recipient, subject, body) VALUES ($1, $2, $3, 'email', $4, $5, $6)`,
        [randomUUID(), status.caseId, messageId, replyChannel.eMail.address, text.subject, text.body],
      );
    } else if (replyChannel?.postal) {
      const { name, address } = replyChannel.postal;
      const notificationId = randomUUID();
      await manager.query(
        `INSERT INTO routing.notifications (notification_id, case_id, status_message_id, channel, recipient, subject, body, state, sent_at)
         VALUES ($1, $2, $3, 'postal', $4, $5, $6, 'handed-over', now())`,
        [notificationId, status.caseId, messageId, postalRecipientLine(name, address), text.subject, text.body],
      );
      await addToOutbox<PostalLetterV1>(manager, {
        topic: Topics.notificationsPostal,
        key: status.caseId,
        type: EventTypes.postalLetter,
        payload: {
          notificationId,
          caseId: status.caseId,
          status: status.status,
          subject: text.subject,
          body: text.body,
          recipient: { name, address },
        },
        correlationId: status.caseId,
        causationId: messageId,
        tenant: applicant.tenantArs,
      });
    } else if (replyChannel) {
      const kind = replyChannel.deMail ? 'deMail' : replyChannel.fink ? 'fink' : 'elster';
      const notificationId = randomUUID();
      await manager.query(
        `INSERT INTO routing.notifications (notification_id, case_id, status_message_id, channel, recipient, subject, body, state, sent_at)
         VALUES ($1, $2, $3, 'portal', $4, $5, $6, 'handed-over', now())`,
        [notificationId, status.caseId, messageId, kind, text.subject, text.body],
      );
      await addToOutbox<PortalMessageV1>(manager, {
        topic: Topics.notificationsPortal,
        key: status.caseId,
        type: EventTypes.portalMessage,
        payload: {
          notificationId,
          caseId: status.caseId,
          replyChannel: kind,
          status: status.status,
          subject: text.subject,
          body: text.body,
        },
        correlationId: status.caseId,
        causationId: messageId,
        tenant: applicant.tenantArs,
      });
    }
    this.log.info('case status recorded', { caseId: status.caseId, status: status.status, reportedBy: status.reportedBy });
    return true;
  }
}

/** One line for the notifications view: `Erika Mustermann, Musterweg 1, 14467 Potsdam`. */
export function postalRecipientLine(name: string, address: PostalAddressDto): string {
  const street = [address.street, address.houseNumber].filter(Boolean).join(' ');
  const place = [
    address.country && address.country !== 'DE' ? `${address.country}-${address.postalCode}` : address.postalCode,
    address.city,
  ].join(' ');
  return [name, street, place].filter(Boolean).join(', ');
}
