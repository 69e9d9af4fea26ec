import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Logger, describeError } from '@poststelle/telemetry';
import { ROUTING_SETTINGS, type RoutingSettings } from '../routing.config';
import { MAILER, type Mailer } from './mailer';

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
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('NotificationDispatcher');
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(ROUTING_SETTINGS) private readonly settings: RoutingSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.dispatchDue();
      } catch (error) {
        this.log.warn('notification dispatch failed', describeError(error));
      }
      if (sent === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** Sends what is due; returns how many were handled. */
  async dispatchDue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager.query<DueNotification[]>(
        `SELECT notification_id, case_id, recipient, subject, body, attempts FROM routing.notifications
          WHERE state = 'pending' AND channel = 'email' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED`,
      );
      for (const n of due) {
        try {
          await this.mailer.send({ to: n.recipient, subject: n.subject, text: n.body, messageId: `<${n.notification_id}@poststelle>` });
          await manager.query(
            `UPDATE routing.notifications SET state = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE notification_id = $1`,
            [n.notification_id],
          );
        } catch (error) {
          const attempts = n.attempts + 1;
          const failed = attempts >= this.settings.notifications.maxAttempts;
          const delayMs = Math.min(600000, this.settings.notifications.retryBaseMs * 2 ** (attempts - 1));
          await manager.query(
            `UPDATE routing.notifications SET attempts = $2, last_error = $3, state = $4, next_attempt_at = now() + ($5 || ' milliseconds')::interval
              WHERE notification_id = $1`,
            [n.notification_id, attempts, describeError(error).error.slice(0, 1000), failed ? 'failed' : 'pending', String(delayMs)],
          );
          this.log.warn(failed ? 'notification failed for good' : 'notification send failed; will retry', {
            caseId: n.case_id,
            attempts,
            ...describeError(error),
          });
        }
      }
      return due.length;
    });
  }
}
