import { Controller, Get, Res } from '@nestjs/common';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { MessagingRuntime } from '@poststelle/messaging';
import { registry } from '@poststelle/telemetry';

/** `/health` (readiness: database and Kafka answer) and `/metrics` (Prometheus). */
@Controller()
export class OperationsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
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
    const [database, kafka] = await Promise.all([check(() => this.dataSource.query('SELECT 1')), check(() => this.messaging.ping())]);
    const ok = database === 'up' && kafka === 'up';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: { database, kafka } });
  }

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.type(registry.contentType).send(await registry.metrics());
  }
}
