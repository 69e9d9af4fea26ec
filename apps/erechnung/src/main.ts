// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('erechnung');

async function main(): Promise<void> {
  const { bootstrapService } = await import('@poststelle/platform');
  const { loadErechnungSettings } = await import('./erechnung.config');
  const { ErechnungModule } = await import('./app.module');
  const settings = loadErechnungSettings();
  await bootstrapService(ErechnungModule.forRoot(settings), settings);
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'erechnung', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
