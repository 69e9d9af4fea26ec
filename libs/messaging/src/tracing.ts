import { ROOT_CONTEXT, context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';

export const tracer = trace.getTracer('poststelle-messaging');

export function extractContext(headers: Record<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Runs `fn` in a CONSUMER span that continues the trace carried in the message headers. */
export function withConsumerSpan<T>(
  topic: string,
  group: string,
  headers: Record<string, string>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = extractContext(headers);
  return tracer.startActiveSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': group,
        'messaging.operation.type': 'process',
      },
    },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts a PRODUCER span under the context stored with an outbox row and returns the headers to send. */
export function producerSpan(topic: string, storedHeaders: Record<string, string>): { span: Span; headers: Record<string, string> } {
  const parent = extractContext(storedHeaders);
  const span = tracer.startSpan(
    `${topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation.type': 'send' },
    },
    parent,
  );
  const headers = { ...storedHeaders };
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return { span, headers };
}
