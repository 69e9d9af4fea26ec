import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MAILER, PendingMailDispatcher, type FailedAttempt, type Mailer, type PendingMail } from '@poststelle/platform';
import { ROUTING_SETTINGS, type RoutingSettings } from '../routing.config';
import { NotificationsRepository } from './notifications.repository';

/**
 * Sends pending email notifications through the SMTP relay. A failed send is retried with exponential backoff and
 * the error is kept on the row (`GET /v1/cases/{caseId}/notifications`); after the last attempt the notification
 * is marked failed, never silently dropped. Several instances share the work (SKIP LOCKED).
 */
@Injectable()
export class NotificationDispatcher extends PendingMailDispatcher {
  constructor(
    dataSource: DataSource,
    @Inject(MAILER) mailer: Mailer,
    @Inject(ROUTING_SETTINGS) settings: RoutingSettings,
    private readonly notifications: NotificationsRepository,
  ) {
    super('NotificationDispatcher', dataSource, mailer, settings.notifications);
  }

  protected async selectDue(manager: EntityManager): Promise<PendingMail[]> {
    const due = await this.notifications.due(manager);
    return due.map((n) => ({
      id: n.notificationId,
      attempts: n.attempts,
      mail: { to: n.recipient, subject: n.subject, text: n.body, messageId: `<${n.notificationId}@poststelle>` },
      logContext: { caseId: n.caseId, notificationId: n.notificationId },
    }));
  }

  protected markSent(manager: EntityManager, id: string): Promise<void> {
    return this.notifications.markSent(manager, id);
  }

  protected markAttemptFailed(manager: EntityManager, id: string, f: FailedAttempt): Promise<void> {
    return this.notifications.markAttemptFailed(manager, id, f);
  }
}
