// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('payment');

async function main(): Promise<void> {
  const { bootstrapService } = await import('@poststelle/platform');
  const { loadPaymentSettings } = await import('./payment.config');
  const { PaymentModule } = await import('./app.module');
  const settings = loadPaymentSettings();
  await bootstrapService(PaymentModule.forRoot(settings), settings);
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'payment', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
