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
import { Logger } from '@poststelle/telemetry';
import { StatusRepository } from './status.repository';
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

  constructor(private readonly statuses: StatusRepository) {}

  async execute(
    manager: EntityManager,
    messageId: string,
    status: CaseStatusChangedV1,
    applicant: { replyChannel: ReplyChannelDto | null; tenantArs: string },
  ): Promise<boolean> {
    const { replyChannel } = applicant;
    if (!(await this.statuses.addToHistory(manager, messageId, status))) return false;
    const text = statusNotification(status.caseId, status.status, status.message);
    const notification = { notificationId: randomUUID(), caseId: status.caseId, statusMessageId: messageId, ...text };
    const handOver = { key: status.caseId, correlationId: status.caseId, causationId: messageId, tenant: applicant.tenantArs };
    if (replyChannel?.eMail) {
      await this.statuses.addNotification(manager, { ...notification, channel: 'email', recipient: replyChannel.eMail.address });
    } else if (replyChannel?.postal) {
      const { name, address } = replyChannel.postal;
      await this.statuses.addNotification(manager, {
        ...notification,
        channel: 'postal',
        recipient: postalRecipientLine(name, address),
        handOver: {
          ...handOver,
          topic: Topics.notificationsPostal,
          type: EventTypes.postalLetter,
          payload: {
            notificationId: notification.notificationId,
            caseId: status.caseId,
            status: status.status,
            subject: text.subject,
            body: text.body,
            recipient: { name, address },
          } satisfies PostalLetterV1,
        },
      });
    } else if (replyChannel) {
      const kind = replyChannel.deMail ? 'deMail' : replyChannel.fink ? 'fink' : 'elster';
      await this.statuses.addNotification(manager, {
        ...notification,
        channel: 'portal',
        recipient: kind,
        handOver: {
          ...handOver,
          topic: Topics.notificationsPortal,
          type: EventTypes.portalMessage,
          payload: {
            notificationId: notification.notificationId,
            caseId: status.caseId,
            replyChannel: kind,
            status: status.status,
            subject: text.subject,
            body: text.body,
          } satisfies PortalMessageV1,
        },
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
