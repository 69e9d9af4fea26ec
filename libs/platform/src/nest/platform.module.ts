import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { CreateMessagingTables1732300000000, CreateRepairTables1733500000000, MessagingRuntime } from '@poststelle/messaging';
import { FileSystemBlobStore, openDatabase } from '@poststelle/persistence';
import { Logger, describeError } from '@poststelle/telemetry';
import { AccessGuard } from '../auth/access.guard';
import { AccessPolicyCheck } from '../auth/access-policy.check';
import { TokenVerifier } from '../auth/token-verifier';
import { type PlatformSettings } from '../config/service-env';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { HttpMetricsInterceptor } from './http-metrics.interceptor';
import { OperationsController } from './operations.controller';
import { QueueBoard } from './queue-board';
import { QueuesController } from './queues.controller';
import { RepairController } from './repair.controller';
import { BLOB_STORE, PLATFORM_SETTINGS } from './tokens';

export interface PlatformModuleOptions {
  settings: PlatformSettings;
  entities: MixedList<(new (...args: never[]) => unknown) | EntitySchema>;
  /** The service's own migrations; the messaging tables migration is prepended. */
  migrations: MixedList<new (...args: never[]) => unknown>;
}

/** Starts messaging once every module registered its consumers; stops it before the database closes. */
@Injectable()
class PlatformLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Lifecycle');
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly dataSource: DataSource,
    @Inject(PLATFORM_SETTINGS) private readonly settings: PlatformSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
    this.log.info('service ready', { service: this.settings.service, port: this.settings.http.port });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.log.info('shutting down: draining in-flight work', { signal });
    try {
      await this.messaging.stop();
    } catch (error) {
      this.log.warn('messaging stop failed', describeError(error));
    }
    await this.dataSource.destroy();
  }
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const { settings } = options;
    return {
      module: PlatformModule,
      imports: [DiscoveryModule],
      controllers: [OperationsController, RepairController, QueuesController],
      providers: [
        { provide: PLATFORM_SETTINGS, useValue: settings },
        {
          provide: DataSource,
          useFactory: () =>
            openDatabase(settings.database, options.entities, [
              CreateMessagingTables1732300000000,
              CreateRepairTables1733500000000,
              ...(options.migrations as (new () => unknown)[]),
            ]),
        },
        {
          provide: MessagingRuntime,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new MessagingRuntime(dataSource, {
              service: settings.service,
              schema: settings.schema,
              kafka: settings.kafka,
              consumer: settings.consumer,
              messageMaxBytes: settings.messageMaxBytes,
              maxReplays: settings.maxReplays,
            }),
        },
        { provide: BLOB_STORE, useValue: new FileSystemBlobStore(settings.blobDir) },
        { provide: QueueBoard, useValue: new QueueBoard(settings.service) },
        PlatformLifecycle,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
        { provide: TokenVerifier, useValue: new TokenVerifier(settings.auth) },
        { provide: APP_GUARD, useClass: AccessGuard },
        AccessPolicyCheck,
      ],
      exports: [PLATFORM_SETTINGS, DataSource, MessagingRuntime, BLOB_STORE, QueueBoard],
    };
  }
}
