// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('routing');

async function main(): Promise<void> {
  const { bootstrapService } = await import('@poststelle/platform');
  const { loadRoutingSettings } = await import('./routing.config');
  const { RoutingModule } = await import('./app.module');
  const settings = loadRoutingSettings();
  await bootstrapService(RoutingModule.forRoot(settings), settings);
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'routing', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
