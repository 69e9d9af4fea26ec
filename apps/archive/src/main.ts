// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('archive');

async function main(): Promise<void> {
  const { bootstrapService, keepRawBody } = await import('@poststelle/platform');
  const { loadArchiveSettings } = await import('./archive.config');
  const { ArchiveModule } = await import('./app.module');
  const { platform, archive } = loadArchiveSettings();
  await bootstrapService(ArchiveModule.forRoot(platform, archive), platform, (app) => {
    // The archive's xdomea answers (0502/0504) are read as raw XML, whatever content type they come with.
    app.use(
      keepRawBody(platform.http.bodyLimitBytes, (req) => req.method === 'POST' && /\/disposal-offers\/[^/]+\/answers$/.test(req.path)),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'archive', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
