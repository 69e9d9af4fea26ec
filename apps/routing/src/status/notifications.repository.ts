import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { MailAttempts } from '@poststelle/persistence';
import { type FailedAttempt } from '@poststelle/platform';

export interface DueNotification {
  notificationId: string;
  caseId: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/** `routing.notifications` as the dispatcher works them: due email rows, taken so that instances share the work. */
@Injectable()
export class NotificationsRepository {
  /** Up to 20 due email notifications, locked `FOR UPDATE SKIP LOCKED` in the caller's transaction. */
  due(m: EntityManager): Promise<DueNotification[]> {
    return m.query<DueNotification[]>(
      `SELECT notification_id AS "notificationId", case_id AS "caseId", recipient, subject, body, attempts FROM routing.notifications
        WHERE state = 'pending' AND channel = 'email' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED`,
    );
  }

  private readonly attempts = new MailAttempts('routing', 'notifications', 'notification_id');

  markSent(m: EntityManager, notificationId: string): Promise<void> {
    return this.attempts.markSent(m, notificationId);
  }

  markAttemptFailed(m: EntityManager, notificationId: string, f: FailedAttempt): Promise<void> {
    return this.attempts.markAttemptFailed(m, notificationId, f);
  }
}
