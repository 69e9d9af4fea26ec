import { randomUUID } from 'node:crypto';
import { type EventEnvelope } from '@poststelle/contracts';
import { MessagingErrorCode, NonRetriableError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewEnvelope<P> {
  type: string;
  version?: number;
  payload: P;
  correlationId: string;
  causationId?: string;
  tenant: string;
  occurredAt?: Date;
  id?: string;
}

export function buildEnvelope<P>(input: NewEnvelope<P>): EventEnvelope<P> {
  return {
    id: input.id ?? randomUUID(),
    type: input.type,
    version: input.version ?? 1,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    correlationId: input.correlationId,
    ...(input.causationId ? { causationId: input.causationId } : {}),
    tenant: input.tenant,
    payload: input.payload,
  };
}

export function encodeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/** Parses and checks the envelope frame; the payload itself is validated by the handler's contract class. */
export function decodeEnvelope(value: Buffer | null): EventEnvelope {
  if (!value || value.length === 0) {
    throw new NonRetriableError(MessagingErrorCode.MalformedMessage, 'message has no value (tombstone or empty)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new NonRetriableError(MessagingErrorCode.MalformedMessage, `message value is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new NonRetriableError(MessagingErrorCode.MalformedMessage, 'message value is not a JSON object');
  }
  const e = parsed as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof e['id'] !== 'string' || !UUID.test(e['id'])) problems.push('id must be a UUID');
  if (typeof e['type'] !== 'string' || e['type'].length === 0) problems.push('type must be a non-empty string');
  if (typeof e['version'] !== 'number' || !Number.isInteger(e['version'])) problems.push('version must be an integer');
  if (typeof e['occurredAt'] !== 'string' || Number.isNaN(Date.parse(e['occurredAt'])))
    problems.push('occurredAt must be an ISO date-time');
  if (typeof e['correlationId'] !== 'string' || e['correlationId'].length === 0) problems.push('correlationId must be a non-empty string');
  if (typeof e['tenant'] !== 'string') problems.push('tenant must be a string');
  if (!('payload' in e)) problems.push('payload is missing');
  if (problems.length > 0) {
    throw new NonRetriableError(MessagingErrorCode.MalformedMessage, `invalid envelope: ${problems.join('; ')}`);
  }
  return parsed as EventEnvelope;
}

export function headersToStrings(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined || v === null) continue;
    const first: unknown = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
