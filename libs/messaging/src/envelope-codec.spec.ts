import { buildEnvelope, decodeEnvelope, encodeEnvelope } from './envelope-codec';
import { NonRetriableError } from './errors';

describe('envelope codec', () => {
  it('round-trips an envelope', () => {
    const e = buildEnvelope({ type: 'case.received', payload: { a: 1 }, correlationId: 'c', tenant: '120540000000' });
    expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e);
    expect(e.version).toBe(1);
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [null, /no value/],
    [Buffer.from('{x'), /not JSON/],
    [Buffer.from('[]'), /not a JSON object/],
    [
      Buffer.from(JSON.stringify({ id: 'nope', type: '', version: 1.5, occurredAt: 'yesterday', correlationId: '', tenant: 1 })),
      /id must be a UUID; type must be a non-empty string; version must be an integer; occurredAt must be an ISO date-time; correlationId must be a non-empty string; tenant must be a string; payload is missing/,
    ],
  ])('rejects %p as a poison message', (value, message) => {
    expect(() => decodeEnvelope(value)).toThrow(NonRetriableError);
    expect(() => decodeEnvelope(value)).toThrow(message);
  });
});
