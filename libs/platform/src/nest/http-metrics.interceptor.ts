import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { type Observable } from 'rxjs';
import { metrics } from '@poststelle/telemetry';
import { type PlatformSettings } from '../config/service-env';
import { PLATFORM_SETTINGS } from './tokens';

@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(@Inject(PLATFORM_SETTINGS) private readonly settings: PlatformSettings) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const started = process.hrtime.bigint();
    const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
    // Recorded when the response is sent, so errors count with the status the problem-details filter set.
    res.once('finish', () => {
      const labels = { service: this.settings.service, method: req.method, route };
      metrics.httpRequests.inc({ ...labels, status: String(res.statusCode) });
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    return next.handle();
  }
}
