import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaOf } from './messaging.migration';

/**
 * What an operator repairs: outbox rows that could not be published (parked with their reason), dead letters as
 * records with their original bytes and state, and the audit trail of every repair action.
 */
export class CreateRepairTables1733500000000 implements MigrationInterface {
  name = 'CreateRepairTables1733500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`CREATE TABLE ${s}.outbox_parked (
      seq bigint PRIMARY KEY,
      message_id uuid NOT NULL,
      topic text NOT NULL,
      message_key text NOT NULL,
      envelope jsonb NOT NULL,
      headers jsonb NOT NULL,
      size_bytes int NOT NULL,
      created_at timestamptz NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now(),
      reason_code text NOT NULL,
      reason text NOT NULL,
      held_behind bigint,
      state text NOT NULL DEFAULT 'parked' CHECK (state IN ('parked', 'retried', 'discarded')),
      resolved_at timestamptz,
      resolved_by text,
      resolution text)`);
    await queryRunner.query(`CREATE INDEX outbox_parked_key ON ${s}.outbox_parked (message_key) WHERE state = 'parked'`);
    await queryRunner.query(`CREATE TABLE ${s}.dead_letters (
      id uuid PRIMARY KEY,
      consumer_group text NOT NULL,
      source_topic text NOT NULL,
      source_partition int NOT NULL,
      source_offset bigint NOT NULL,
      message_key text,
      message_value bytea,
      headers jsonb NOT NULL,
      message_id text,
      event_type text,
      error_code text NOT NULL,
      error text NOT NULL,
      attempts int NOT NULL,
      replay_generation int NOT NULL DEFAULT 0,
      failed_at timestamptz NOT NULL DEFAULT now(),
      state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'replayed', 'discarded')),
      resolved_at timestamptz,
      resolved_by text,
      resolution text,
      UNIQUE (consumer_group, source_topic, source_partition, source_offset))`);
    await queryRunner.query(`CREATE INDEX dead_letters_open ON ${s}.dead_letters (failed_at) WHERE state = 'open'`);
    await queryRunner.query(`CREATE TABLE ${s}.repair_audit (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL,
      target text NOT NULL,
      reason text,
      detail jsonb NOT NULL DEFAULT '{}')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.repair_audit`);
    await queryRunner.query(`DROP TABLE ${s}.dead_letters`);
    await queryRunner.query(`DROP TABLE ${s}.outbox_parked`);
  }
}
