import { type DynamicModule, type INestApplication, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { Logger, configureLogging, describeError } from '@poststelle/telemetry';
import { authenticateFirst } from '../auth/authenticate.middleware';
import { TokenVerifier } from '../auth/token-verifier';
import { type PlatformSettings } from '../config/service-env';
import {
  InvalidUtf8BodyError,
  JSON_MEDIA_TYPES,
  RAW_MEDIA_TYPES,
  bodyParserProblem,
  firstInvalidUtf8Offset,
  unsupportedMediaType,
} from '../http/body-errors';

const QUIET_CONTEXTS = new Set(['RouterExplorer', 'RoutesResolver', 'InstanceLoader', 'NestFactory', 'NestApplication']);

/** Routes Nest's own log lines into the JSON logger. */
export class NestJsonLogger implements LoggerService {
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
  /** Set by {@link keepRawBody} when the body exceeded the limit: it was read off and discarded, not kept. */
  bodyOverflow?: { limitBytes: number; receivedBytes?: number };
}

/**
 * A route-specific parser that reads any body as raw bytes (`req.body` and `req.rawBody`), so a service can keep the
 * original even when it is not what the route accepts. A body over `limitBytes` is read off and discarded; the
 * request then reaches the handler with an empty body and `req.bodyOverflow`, so the refusal can be recorded.
 */
export function keepRawBody(limitBytes: number, applies: (req: Request) => boolean = () => true): RequestHandler {
  const parse = express.raw({ type: () => true, limit: limitBytes });
  return (req: RawBodyRequest, res: Response, next: NextFunction) => {
    if (!applies(req)) return next();
    void parse(req, res, (error?: unknown) => {
      const e = error as { type?: unknown; expected?: unknown; received?: unknown } | undefined;
      if (e?.type === 'entity.too.large') {
        const received = Math.max(Number(e.expected) || 0, Number(e.received) || 0);
        req.bodyOverflow = { limitBytes, ...(received ? { receivedBytes: received } : {}) };
        req.body = Buffer.alloc(0);
        return next();
      }
      if (!error && Buffer.isBuffer(req.body)) req.rawBody = req.body;
      next(error);
    });
  };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

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
  // Who calls, before any byte of the body is read (default deny; only the public paths are open).
  app.use(authenticateFirst(app.get(TokenVerifier, { strict: false })));
  // Route-specific parsers first (a service may take a path's raw bytes to keep originals), then the defaults.
  configure?.(app);
  // JSON must be UTF-8: the parser would otherwise replace invalid bytes silently.
  const keepRaw = (req: RawBodyRequest, _res: unknown, buf: Buffer, encoding: string) => {
    if (/^utf-?8$/i.test(encoding)) {
      const offset = firstInvalidUtf8Offset(buf);
      if (offset !== undefined) throw new InvalidUtf8BodyError(offset);
    }
    req.rawBody = buf;
  };
  app.use(express.json({ limit: settings.http.bodyLimitBytes, verify: keepRaw, type: JSON_MEDIA_TYPES }));
  app.use(express.raw({ limit: settings.http.bodyLimitBytes, type: RAW_MEDIA_TYPES }));
  // A body no parser took (its content-type is not read here) is refused, rather than handled as if empty.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const type = req.headers['content-type'];
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (WRITES.has(req.method) && type && hasBody && req.body === undefined && !req.readableEnded) {
      req.resume();
      return next(unsupportedMediaType(type, [...JSON_MEDIA_TYPES, ...RAW_MEDIA_TYPES]));
    }
    next();
  });
  // The one place body-parser failures become typed problems (before Nest turns a SyntaxError into a bare 400).
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => next(bodyParserProblem(error) ?? error));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(settings.http.port, settings.http.host);
  return app;
}
