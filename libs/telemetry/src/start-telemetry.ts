import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

let sdk: NodeSDK | undefined;

/** Keeps spans recording (trace ids in logs and Kafka headers) when nothing is exported. */
class RecordOnlySpanProcessor implements SpanProcessor {
  onStart(): void {}
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Starts OpenTelemetry. Call it first in `main.ts`, before Nest, pg or kafkajs are imported, so the HTTP and pg
 * instrumentations can patch them. Kafka hops are traced by libs/messaging itself (W3C context in headers).
 *
 * Export follows the standard OTel variables: spans go to OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set; otherwise spans are still created (trace ids in logs and headers)
 * but not exported.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (sdk) return;
  const exportEnabled = Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  const spanProcessors: SpanProcessor[] = exportEnabled
    ? [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 500 })]
    : [new RecordOnlySpanProcessor()];
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: '0.1.0' }),
    spanProcessors,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/metrics' || req.url === '/health' }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
}

/** Flushes pending spans; call during graceful shutdown. */
export async function stopTelemetry(): Promise<void> {
  if (!sdk) return;
  const current = sdk;
  sdk = undefined;
  await current.shutdown();
}
