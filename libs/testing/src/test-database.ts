import { type DataSource } from 'typeorm';
import { CreateMessagingTables1732300000000 } from '@poststelle/messaging';
import { openDatabase } from '@poststelle/persistence';
import { createTestDatabase } from './env';

type Migration = new (...args: never[]) => unknown;

/** A fresh database of one service for one integration-spec file, its migrations run; `close()` drops it again. */
export interface TestDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A database of its own for a spec file, brought up the way the service brings up its own: the messaging tables
 * (outbox, inbox) first, then the service's migrations in order, in its schema (real PostgreSQL, never a fake).
 *
 * ```ts
 * beforeAll(async () => ({ dataSource } = (db = await openTestDatabase('routing', ROUTING_MIGRATIONS))));
 * afterAll(() => db?.close());
 * ```
 */
export async function openTestDatabase(
  schema: string,
  migrations: readonly Migration[],
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  const db = await createTestDatabase();
  try {
    const dataSource = await openDatabase(
      { url: db.url, schema, poolSize: options.poolSize ?? 4 },
      [],
      [CreateMessagingTables1732300000000, ...migrations],
    );
    return {
      dataSource,
      close: async () => {
        await dataSource.destroy();
        await db.drop();
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
