import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { Logger } from '@poststelle/telemetry';

export interface DatabaseSettings {
  url: string;
  /** The service's own schema; every table of the service lives in it. */
  schema: string;
  poolSize?: number;
}

type EntityList = MixedList<string | (new (...args: never[]) => unknown) | EntitySchema>;
type MigrationList = MixedList<string | (new (...args: never[]) => unknown)>;

const log = new Logger('Database');

/**
 * Opens the service's DataSource and brings its schema up to date with its TypeORM migrations (never
 * `synchronize`). Migrations run under an advisory lock so two instances starting together do not race.
 */
export async function openDatabase(settings: DatabaseSettings, entities: EntityList, migrations: MigrationList): Promise<DataSource> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(settings.schema)) throw new Error(`invalid schema name '${settings.schema}'`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: settings.url,
    schema: settings.schema,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    extra: { max: settings.poolSize ?? 10, connectionTimeoutMillis: 5000 },
    logging: false,
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${settings.schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${settings.schema}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) log.info('migrations applied', { schema: settings.schema, migrations: applied.map((m) => m.name) });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${settings.schema}`]);
    }
  } finally {
    await runner.release();
  }
  return dataSource;
}
