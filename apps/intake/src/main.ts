// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
import type { NextFunction, Request, Response } from 'express';
startTelemetry('intake');

async function main(): Promise<void> {
  const express = await import('express');
  const { bootstrapService, keepRawBody } = await import('@poststelle/platform');
  const { loadIntakeSettings } = await import('./intake.config');
  const { IntakeModule } = await import('./app.module');
  const settings = loadIntakeSettings();
  await bootstrapService(IntakeModule.forRoot(settings), settings, (app) => {
    // Submission-type bodies (portal submissions, bundles, FIT-Connect announce and submit) are read as raw bytes of
    // any content type, so the original is kept even when it is not valid JSON; over the limit, the refusal is
    // still recorded (without the body).
    const limit = settings.http.bodyLimitBytes;
    const post = (req: { method: string; path: string }) => req.method === 'POST' && (req.path === '/' || req.path === '');
    app.use('/v1/submissions', keepRawBody(limit, post));
    app.use('/v1/bundles', keepRawBody(limit, post));
    app.use(
      '/v1/fit-connect/submissions',
      keepRawBody(limit, (req) => post(req) || (req.method === 'POST' && /^\/[^/]+\/submit\/?$/.test(req.path))),
    );
    // Raw RFC 822 messages up to twice the message limit are read and kept, so an oversized one is still stored
    // and rejected with a reason; beyond that the body parser answers 413.
    // FIT-Connect attachment uploads are streamed to the blob store: hide their content type from the body parsers.
    app.use(
      '/v1/fit-connect/submissions',
      (req: { method: string; path: string; headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
        if (req.method === 'PUT' && req.path.includes('/attachments/')) {
          // Kept for the announced-type check (a client-sent header of this name is overwritten), then hidden.
          req.headers['x-ps-upload-content-type'] = req.headers['content-type'] ?? '';
          delete req.headers['content-type'];
        }
        next();
      },
    );
    // Scan documents are streamed to the blob store like FIT-Connect uploads; the batch index is read raw (XML).
    app.use(
      '/v1/scan/batches',
      (req: { method: string; path: string; headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
        if (req.method === 'PUT' && req.path.includes('/documents/')) delete req.headers['content-type'];
        next();
      },
    );
    // Any content type is read here, so the controllers answer a wrong one with their own 415.
    const scanIndex = express.raw({ type: () => true, limit: settings.scan.indexMaxBytes * 2 });
    app.use('/v1/scan/batches', (req: Request, res: Response, next: NextFunction) => (post(req) ? void scanIndex(req, res, next) : next()));
    app.use('/v1/email', express.raw({ type: () => true, limit: settings.email.maxMessageBytes * 2 }));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'intake', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
