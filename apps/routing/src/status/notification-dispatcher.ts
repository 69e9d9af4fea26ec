import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MAILER, PendingMailDispatcher, type FailedAttempt, type Mailer, type PendingMail } from '@poststelle/platform';
import { ROUTING_SETTINGS, type RoutingSettings } from '../routing.config';

interface DueNotification {
  notification_id: string;
  case_id: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Sends pending email notifications through the SMTP relay. A failed send is retried with exponential backoff and
 * the error is kept on the row (`GET /v1/cases/{caseId}/notifications`); after the last attempt the notification
 * is marked failed, never silently dropped. Several instances share the work (SKIP LOCKED).
 */
@Injectable()
export class NotificationDispatcher extends PendingMailDispatcher {
  constructor(dataSource: DataSource, @Inject(MAILER) mailer: Mailer, @Inject(ROUTING_SETTINGS) settings: RoutingSettings) {
    super('NotificationDispatcher', dataSource, mailer, settings.notifications);
  }

  protected async selectDue(manager: EntityManager): Promise<PendingMail[]> {
    const due = await manager.query<DueNotification[]>(
      `SELECT notification_id, case_id, recipient, subject, body, attempts FROM routing.notifications
        WHERE state = 'pending' AND channel = 'email' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED`,
    );
    return due.map((n) => ({
      id: n.notification_id,
      attempts: n.attempts,
      mail: { to: n.recipient, subject: n.subject, text: n.body, messageId: `<${n.notification_id}@poststelle>` },
      logContext: { caseId: n.case_id, notificationId: n.notification_id },
    }));
  }

  protected async markSent(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE routing.notifications SET state = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE notification_id = $1`,
      [id],
    );
  }

  protected async markAttemptFailed(manager: EntityManager, id: string, f: FailedAttempt): Promise<void> {
    await manager.query(
      `UPDATE routing.notifications SET attempts = $2, last_error = $3, state = $4, next_attempt_at = now() + ($5 || ' milliseconds')::interval
        WHERE notification_id = $1`,
      [id, f.attempts, f.error, f.final ? 'failed' : 'pending', String(f.nextAttemptInMs)],
    );
  }
}
