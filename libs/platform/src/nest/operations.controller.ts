import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { MessagingRuntime } from '@poststelle/messaging';
import { registry } from '@poststelle/telemetry';
import { Public } from '../auth/principal';
import { ServiceException } from '../http/problem';
import { QueueBoard } from './queue-board';

/** docs/openapi.yaml in the installation root: the nearest ancestor folder that has a package.json. */
function openapiPath(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'docs', 'openapi.yaml');
}
const OPENAPI_PATH = openapiPath();
/**
 * `/health` (readiness: database and Kafka answer; `degraded` with the reasons when a consumer stopped or waits for
 * its infrastructure, the relay is stuck, outbox rows are parked or dead letters are open), `/metrics` (Prometheus)
 * and `/openapi.yaml`. None of them carries personal data.
 */
@Public()
@Controller()
export class OperationsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly queues: QueueBoard,
  ) {}

  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return 'up' as const;
      } catch {
        return 'down' as const;
      }
    };
    const [database, kafka, messaging] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.messaging.ping()),
      this.messaging.health(),
    ]);
    const problems = [
      ...(database === 'down' ? [{ code: 'database-down', detail: 'PostgreSQL does not answer' }] : []),
      ...(kafka === 'down' ? [{ code: 'kafka-down', detail: 'no Kafka broker answers' }] : []),
      ...messaging.problems,
    ];
    const up = database === 'up' && kafka === 'up';
    const status = !up ? 'unavailable' : problems.length > 0 ? 'degraded' : 'ok';
    // degraded still answers 200: the service takes requests; what is stuck is named in `problems`.
    res.status(up ? 200 : 503).json({
      status,
      checks: { database, kafka },
      problems,
      consumers: messaging.consumers,
      consumerLag: { total: messaging.consumerLag },
      outbox: {
        relay: messaging.relay,
        parked: messaging.parkedOutboxRows,
        backlog: messaging.outboxBacklog.rows,
        oldestAgeSeconds: messaging.outboxBacklog.oldestAgeSeconds,
      },
      deadLetters: { open: messaging.openDeadLetters },
    });
  }

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    await this.queues.refreshMetrics();
    res.type(registry.contentType).send(await registry.metrics());
  }

  /** The OpenAPI 3.1 document of the HTTP APIs (docs/openapi.yaml, shipped with the service). */
  @Get('openapi.yaml')
  async openapi(@Res() res: Response): Promise<void> {
    try {
      res.type('application/yaml').send(await readFile(OPENAPI_PATH, 'utf8'));
    } catch {
      throw new ServiceException('OPENAPI_NOT_SHIPPED', 404, `the OpenAPI document is not installed at ${OPENAPI_PATH}`);
    }
  }
}
