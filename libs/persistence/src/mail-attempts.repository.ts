import { type EntityManager } from 'typeorm';

/** What one failed send leaves: the attempts so far, the error, whether it was the last, when to try again. */
export interface MailAttemptFailure {
  attempts: number;
  error: string;
  final: boolean;
  nextAttemptInMs: number;
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The outcome of a send attempt on a table of pending mail (`state`, `attempts`, `last_error`, `sent_at`,
 * `next_attempt_at`), written the same way for routing's applicant notifications and erechnung's invoice answers.
 */
export class MailAttempts {
  private readonly table: string;

  constructor(
    schema: string,
    table: string,
    private readonly idColumn: string,
  ) {
    for (const name of [schema, table, idColumn]) if (!NAME.test(name)) throw new Error(`invalid SQL name '${name}'`);
    this.table = `"${schema}"."${table}"`;
  }

  async markSent(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE ${this.table} SET state = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE "${this.idColumn}" = $1`,
      [id],
    );
  }

  async markAttemptFailed(m: EntityManager, id: string, f: MailAttemptFailure): Promise<void> {
    await m.query(
      `UPDATE ${this.table} SET attempts = $2, last_error = $3, state = $4, next_attempt_at = now() + ($5 || ' milliseconds')::interval
        WHERE "${this.idColumn}" = $1`,
      [id, f.attempts, f.error, f.final ? 'failed' : 'pending', String(f.nextAttemptInMs)],
    );
  }
}
