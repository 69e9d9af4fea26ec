// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('intake');

async function main(): Promise<void> {
  const express = await import('express');
  const { bootstrapService } = await import('@poststelle/platform');
  const { loadIntakeSettings } = await import('./intake.config');
  const { IntakeModule } = await import('./app.module');
  const settings = loadIntakeSettings();
  await bootstrapService(IntakeModule.forRoot(settings), settings, (app) => {
    // Submissions are read as raw bytes so the original is kept even when it is not valid JSON.
    app.use('/v1/submissions', express.raw({ type: () => true, limit: settings.http.bodyLimitBytes }));
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
    app.use('/v1/email', express.raw({ type: 'message/rfc822', limit: settings.email.maxMessageBytes * 2 }));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'intake', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
