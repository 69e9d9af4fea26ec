import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type FeeRow, type SchedulePolicy } from './fee-policy';

export interface NewFeeVersion {
  leikaKey: string;
  arsPrefix: string;
  amount: string;
  policy: SchedulePolicy;
  bookingText: string;
  validFrom: string;
}

const COLUMNS = `leika_key AS "leikaKey", ars_prefix AS "arsPrefix", version, amount::text AS amount, currency, policy,
  booking_text AS "bookingText", valid_from AS "validFrom", created_by AS "createdBy", created_at AS "createdAt"`;

/** The versioned fee schedule and its audit log (all SQL of `payment.fee_schedule` and `payment.fee_audit`). */
@Injectable()
export class FeeScheduleRepository {
  /** Appends the next version of a (service, region) entry and its audit record; returns the version number. */
  async addVersion(manager: EntityManager, fee: NewFeeVersion, actor: string): Promise<number> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fee:${fee.leikaKey}:${fee.arsPrefix}`]);
    const [{ version }] = await manager.query<[{ version: number }]>(
      `INSERT INTO payment.fee_schedule (leika_key, ars_prefix, version, amount, policy, booking_text, valid_from, created_by)
       SELECT $1::char(14), $2::varchar(12), COALESCE(MAX(version), 0) + 1, $3::numeric, $4::text, $5::text, $6::timestamptz, $7::text
         FROM payment.fee_schedule WHERE leika_key = $1::char(14) AND ars_prefix = $2::varchar(12)
       RETURNING version`,
      [fee.leikaKey, fee.arsPrefix, fee.amount, fee.policy, fee.bookingText, fee.validFrom, actor],
    );
    await manager.query(
      `INSERT INTO payment.fee_audit (actor, action, leika_key, ars_prefix, version, detail) VALUES ($1, 'fee-version-added', $2, $3, $4, $5)`,
      [actor, fee.leikaKey, fee.arsPrefix, version, JSON.stringify(fee)],
    );
    return version;
  }

  /** Every version of the entries for a service (any region): the use-case picks the one in effect. */
  async versionsFor(manager: EntityManager, leikaKey: string): Promise<FeeRow[]> {
    return manager.query<FeeRow[]>(`SELECT ${COLUMNS} FROM payment.fee_schedule WHERE leika_key = $1`, [leikaKey]);
  }

  /** Entries whose region lies in one of the prefixes (`null`: all). */
  async list(manager: EntityManager, prefixes: string[] | null): Promise<unknown[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM payment.fee_schedule
        WHERE $1::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE ars_prefix LIKE p || '%')
        ORDER BY leika_key, ars_prefix, version`,
      [prefixes],
    );
  }

  async audit(manager: EntityManager, prefixes: string[] | null): Promise<unknown[]> {
    return manager.query(
      `SELECT audit_id::int AS "auditId", actor, action, leika_key AS "leikaKey", ars_prefix AS "arsPrefix", version, detail, at
         FROM payment.fee_audit
        WHERE $1::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE ars_prefix LIKE p || '%')
        ORDER BY audit_id`,
      [prefixes],
    );
  }
}
