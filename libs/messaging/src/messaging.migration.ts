import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The quoted schema of the migration's DataSource; messaging tables always live in the service's own schema. */
export function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('messaging tables need a DataSource with an explicit schema');
  return `"${schema}"`;
}

/** Creates the outbox and inbox tables in the service's own schema. Every service lists it first. */
export class CreateMessagingTables1732300000000 implements MigrationInterface {
  name = 'CreateMessagingTables1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`CREATE TABLE ${s}.outbox (
      seq bigserial PRIMARY KEY,
      message_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      message_key text NOT NULL,
      envelope jsonb NOT NULL,
      headers jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query(`CREATE TABLE ${s}.inbox (
      consumer text NOT NULL,
      message_id uuid NOT NULL,
      topic text NOT NULL,
      partition int NOT NULL,
      "offset" bigint NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, message_id))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.inbox`);
    await queryRunner.query(`DROP TABLE ${s}.outbox`);
  }
}
