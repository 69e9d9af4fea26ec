// OpenTelemetry starts before anything else is imported, so HTTP and pg are instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('intake');

async function main(): Promise<void> {
  const { bootstrapService } = await import('@poststelle/platform');
  const { loadIntakeSettings } = await import('./intake.config');
  const { IntakeModule } = await import('./app.module');
  const { portalHttpMounts } = await import('./channels/portal/portal.http');
  const { fitConnectHttpMounts } = await import('./channels/fit-connect/fit-connect.http');
  const { scanHttpMounts } = await import('./channels/scan/scan.http');
  const { emailHttpMounts } = await import('./channels/email/email.http');
  const settings = loadIntakeSettings();
  // Each channel owns the body parsing of its routes; bootstrapService runs this after mounting authentication, so
  // no body is read before the caller is known.
  await bootstrapService(IntakeModule.forRoot(settings), settings, (app) => {
    const mounts = [
      ...portalHttpMounts(settings),
      ...fitConnectHttpMounts(settings),
      ...scanHttpMounts(settings),
      ...emailHttpMounts(settings),
    ];
    for (const { path, handler } of mounts) app.use(path, handler);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'intake', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
