// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('archive');

async function main(): Promise<void> {
  const { bootstrapService } = await import('@poststelle/platform');
  const { loadArchiveSettings } = await import('./archive.config');
  const { ArchiveModule } = await import('./app.module');
  const settings = loadArchiveSettings();
  await bootstrapService(ArchiveModule.forRoot(settings), settings);
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'archive', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
