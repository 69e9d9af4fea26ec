import { context, propagation } from '@opentelemetry/api';
import { type EntityManager } from 'typeorm';
import { buildEnvelope, type NewEnvelope } from './envelope-codec';
import { MessageHeaders, type EventEnvelope } from '@poststelle/contracts';

export interface OutgoingMessage<P> extends NewEnvelope<P> {
  topic: string;
  /** Partition key; use the case id so one case stays ordered. */
  key: string;
}

/**
 * Adds a message to the outbox inside the caller's transaction. The current trace context is stored with it, so
 * the relay publishes the message as part of the same trace.
 */
export async function addToOutbox<P>(manager: EntityManager, message: OutgoingMessage<P>): Promise<EventEnvelope<P>> {
  const envelope = buildEnvelope(message);
  const headers: Record<string, string> = {
    [MessageHeaders.messageId]: envelope.id,
    [MessageHeaders.type]: envelope.type,
    [MessageHeaders.contentType]: 'application/json',
  };
  propagation.inject(context.active(), headers);
  const schema = (manager.connection.options as { schema?: string }).schema ?? 'public';
  await manager.query(`INSERT INTO "${schema}".outbox (message_id, topic, message_key, envelope, headers) VALUES ($1, $2, $3, $4, $5)`, [
    envelope.id,
    message.topic,
    message.key,
    JSON.stringify(envelope),
    JSON.stringify(headers),
  ]);
  return envelope;
}
