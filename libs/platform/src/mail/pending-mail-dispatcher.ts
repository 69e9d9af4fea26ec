import { type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type DataSource, type EntityManager } from 'typeorm';
import { Logger, describeError } from '@poststelle/telemetry';
import { PollingLoop } from '../jobs/polling-loop';
import { type Mailer, type OutgoingMail, type SmtpRelaySettings } from './mailer';

export interface PendingMail {
  /** The row's id, as the subclass's `markSent`/`markAttemptFailed` expect it. */
  id: string;
  attempts: number;
  mail: OutgoingMail;
  /** What may be logged about it (ids only, never an address). */
  logContext: Record<string, unknown>;
}

export interface MailRetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
}

/** A service's outgoing mail: the relay (none: every send fails visibly), the sender and the retry policy. */
export interface OutgoingMailSettings extends MailRetryPolicy {
  smtp?: SmtpRelaySettings;
  from: string;
}

export interface FailedAttempt {
  attempts: number;
  error: string;
  /** No attempt left: the row ends as `failed`, never silently dropped. */
  final: boolean;
  nextAttemptInMs: number;
}

const ADDRESS = /[^\s<>"'@]+@[^\s<>"'@]+/g;

/**
 * Sends mail rows written in a business transaction after commit (a mail outbox). Rows are taken with
 * `FOR UPDATE SKIP LOCKED` (the subclass's `selectDue`), so several instances share the work. At least once: a crash
 * between the relay's `250` and `markSent` sends the mail again with the same Message-ID. A failed send is retried with
 * exponential backoff (capped at 10 minutes), the error kept on the row; relays quote recipients in their errors,
 * so addresses are masked before anything is logged.
 */
export abstract class PendingMailDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: PollingLoop;
  protected readonly log: Logger;

  protected constructor(
    name: string,
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly retry: MailRetryPolicy,
  ) {
    this.log = new Logger(name);
    this.loop = new PollingLoop(name, () => this.dispatchDue(), 1000, this.log);
  }

  /** Up to a batch of due rows, locked `FOR UPDATE SKIP LOCKED` within `manager`'s transaction. */
  protected abstract selectDue(manager: EntityManager): Promise<PendingMail[]>;
  protected abstract markSent(manager: EntityManager, id: string): Promise<void>;
  protected abstract markAttemptFailed(manager: EntityManager, id: string, failure: FailedAttempt): Promise<void>;

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Wakes the dispatcher at once (after a commit that wrote a row). */
  nudge(): void {
    this.loop.nudge();
  }

  /** Sends what is due; returns how many rows were handled. */
  async dispatchDue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await this.selectDue(manager);
      for (const row of due) {
        try {
          await this.mailer.send(row.mail);
          await this.markSent(manager, row.id);
        } catch (error) {
          const attempts = row.attempts + 1;
          const final = attempts >= this.retry.maxAttempts;
          const described = describeError(error);
          await this.markAttemptFailed(manager, row.id, {
            attempts,
            error: described.error.slice(0, 1000),
            final,
            nextAttemptInMs: Math.min(600000, this.retry.retryBaseMs * 2 ** (attempts - 1)),
          });
          this.log.warn(final ? 'mail failed for good' : 'mail send failed; will retry', {
            ...row.logContext,
            attempts,
            ...described,
            error: described.error.replace(ADDRESS, '<address>'),
          });
        }
      }
      return due.length;
    });
  }
}
