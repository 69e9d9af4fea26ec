import { context, propagation } from '@opentelemetry/api';
import { type EntityManager } from 'typeorm';
import { buildEnvelope, type NewEnvelope } from './envelope-codec';
import { MessageHeaders, type EventEnvelope } from '@poststelle/contracts';
import { MessagingErrorCode, NonRetriableError } from './errors';

/** Default bound of one envelope (value plus headers); `MESSAGE_MAX_BYTES` sets it per service. */
export const DEFAULT_MESSAGE_MAX_BYTES = 512 * 1024;
let messageMaxBytes = DEFAULT_MESSAGE_MAX_BYTES;

/** Sets the process-wide envelope bound (the messaging runtime does, from the service's configuration). */
export function setMessageMaxBytes(bytes: number): void {
  messageMaxBytes = bytes;
}

/**
 * Thrown when a message would exceed the envelope bound: user content above the claim-check threshold belongs in
 * the blob store, referenced by hash. It is a programming or configuration error, never the broker's problem.
 */
export class MessageTooLargeError extends NonRetriableError {
  constructor(
    readonly topic: string,
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(
      MessagingErrorCode.MessageTooLarge,
      `a ${topic} message of ${sizeBytes} bytes exceeds the bound of ${maxBytes} bytes (MESSAGE_MAX_BYTES)`,
    );
    this.name = 'MessageTooLargeError';
  }
}

export interface OutgoingMessage<P> extends NewEnvelope<P> {
  topic: string;
  /** Partition key; use the case id so one case stays ordered. */
  key: string;
}

interface OutboxRow<P> {
  envelope: EventEnvelope<P>;
  topic: string;
  key: string;
  value: string;
  headers: string;
}

/** Builds the envelope and headers (with the current trace context) and refuses one above the configured bound. */
function outboxRow<P>(message: OutgoingMessage<P>): OutboxRow<P> {
  const envelope = buildEnvelope(message);
  const headers: Record<string, string> = {
    [MessageHeaders.messageId]: envelope.id,
    [MessageHeaders.type]: envelope.type,
    [MessageHeaders.contentType]: 'application/json',
  };
  propagation.inject(context.active(), headers);
  const value = JSON.stringify(envelope);
  const headerText = JSON.stringify(headers);
  const size = Buffer.byteLength(value) + Buffer.byteLength(headerText);
  if (size > messageMaxBytes) throw new MessageTooLargeError(message.topic, size, messageMaxBytes);
  return { envelope, topic: message.topic, key: message.key, value, headers: headerText };
}

const outboxTable = (manager: EntityManager): string =>
  `"${(manager.connection.options as { schema?: string }).schema ?? 'public'}".outbox`;

/**
 * Adds a message to the outbox inside the caller's transaction. The current trace context is stored with it, so
 * the relay publishes the message as part of the same trace. Refuses (MessageTooLargeError) an envelope above the
 * configured bound, so the caller's transaction fails instead of leaving a row the broker would refuse.
 */
export async function addToOutbox<P>(manager: EntityManager, message: OutgoingMessage<P>): Promise<EventEnvelope<P>> {
  const row = outboxRow(message);
  await manager.query(
    `INSERT INTO ${outboxTable(manager)} (message_id, topic, message_key, envelope, headers) VALUES ($1, $2, $3, $4, $5)`,
    [row.envelope.id, row.topic, row.key, row.value, row.headers],
  );
  return row.envelope;
}

/**
 * Adds several messages to the outbox in one statement, in the caller's transaction and in the given order (the
 * relay publishes by outbox sequence, so messages of one key stay ordered). Same envelope, trace context and size
 * bound as `addToOutbox`; one message too large refuses them all.
 */
export async function addManyToOutbox<P>(manager: EntityManager, messages: OutgoingMessage<P>[]): Promise<EventEnvelope<P>[]> {
  const rows = messages.map(outboxRow);
  if (rows.length === 0) return [];
  await manager.query(
    `INSERT INTO ${outboxTable(manager)} (message_id, topic, message_key, envelope, headers)
     SELECT x.id, x.topic, x.key, x.envelope::jsonb, x.headers::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS x(id, topic, key, envelope, headers, n)
      ORDER BY x.n`,
    [
      rows.map((r) => r.envelope.id),
      rows.map((r) => r.topic),
      rows.map((r) => r.key),
      rows.map((r) => r.value),
      rows.map((r) => r.headers),
    ],
  );
  return rows.map((r) => r.envelope);
}
