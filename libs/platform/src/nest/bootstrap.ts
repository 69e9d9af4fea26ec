import { type DynamicModule, type INestApplication, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type Request } from 'express';
import { Logger, configureLogging, describeError } from '@poststelle/telemetry';
import { type PlatformSettings } from '../config/service-env';

const QUIET_CONTEXTS = new Set(['RouterExplorer', 'RoutesResolver', 'InstanceLoader', 'NestFactory', 'NestApplication']);

/** Routes Nest's own log lines into the JSON logger. */
class NestJsonLogger implements LoggerService {
  private readonly out = new Logger('nest');
  private write(level: 'info' | 'warn' | 'error' | 'debug', message: unknown, context?: unknown): void {
    if (level === 'info' && typeof context === 'string' && QUIET_CONTEXTS.has(context)) return;
    this.out[level](
      typeof message === 'string' ? message : JSON.stringify(message),
      typeof context === 'string' ? { nestContext: context } : undefined,
    );
  }
  log(message: unknown, context?: unknown): void {
    this.write('info', message, context);
  }
  error(message: unknown, _trace?: unknown, context?: unknown): void {
    this.write('error', message, context);
  }
  warn(message: unknown, context?: unknown): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: unknown): void {
    this.write('debug', message, context);
  }
  verbose(): void {}
}

export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

/**
 * Creates and starts a service: JSON logs, body-size limit (raw body kept for originals), shutdown hooks that
 * drain Kafka work before the process exits.
 */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  settings: PlatformSettings,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  configureLogging(settings.service, settings.logLevel);
  const log = new Logger('bootstrap');
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', describeError(reason)));
  const app = await NestFactory.create(module, { logger: new NestJsonLogger(), bodyParser: false });
  // Route-specific parsers first (a service may take a path's raw bytes to keep originals), then the defaults.
  configure?.(app);
  const keepRaw = (req: RawBodyRequest, _res: unknown, buf: Buffer) => {
    req.rawBody = buf;
  };
  app.use(express.json({ limit: settings.http.bodyLimitBytes, verify: keepRaw, type: ['application/json', 'application/*+json'] }));
  app.use(
    express.raw({
      limit: settings.http.bodyLimitBytes,
      type: ['message/rfc822', 'application/xml', 'text/xml', 'application/octet-stream'],
    }),
  );
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(settings.http.port, '0.0.0.0');
  return app;
}
