// OpenTelemetry starts before anything else is imported, so HTTP is instrumented.
import { startTelemetry } from '@poststelle/telemetry';
startTelemetry('console');

async function main(): Promise<void> {
  const { NestFactory } = await import('@nestjs/core');
  const express = (await import('express')).default;
  const { NestJsonLogger } = await import('@poststelle/platform');
  const { Logger, configureLogging } = await import('@poststelle/telemetry');
  const { loadConsoleSettings } = await import('./console.config');
  const { ConsoleModule } = await import('./console.module');
  const { SessionStore } = await import('./session/session.store');
  const { securityHeaders, sessionMiddleware } = await import('./session/session.middleware');
  const settings = loadConsoleSettings();
  configureLogging('console', settings.logLevel);
  const app = await NestFactory.create(ConsoleModule.forRoot(settings), { logger: new NestJsonLogger(), bodyParser: false });
  app.use(securityHeaders);
  // Forms only (urlencoded, small); the console takes no JSON or uploads.
  app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));
  app.use(sessionMiddleware(app.get(SessionStore), settings));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(settings.http.port, settings.http.host);
  new Logger('bootstrap').info('console ready', { url: settings.publicUrl, issuer: settings.oidc.issuer });
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'console', msg: 'start-up failed', error: String(error) })}\n`);
  process.exit(1);
});
