import { DatabaseError } from 'pg';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { ContractValidationError } from '@poststelle/contracts';
import { infrastructureOutage } from './infrastructure-errors';
import { messageRefusal } from './outbox-relay';

const pgError = (code: string, message: string) => {
  const e = new DatabaseError(message, message.length, 'error');
  e.code = code;
  return e;
};
const protocolError = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code, retriable }));
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('infrastructureOutage tells an outage from an error of the message', () => {
  it.each([
    ['a refused connection (server down)', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET')],
    ['a refused connection re-thrown without its code', new Error('connect ECONNREFUSED 127.0.0.1:34581')],
    ['an administrator shutdown (restart)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server still starting', pgError('57P03', 'the database system is starting up')],
    ['a connection exception class 08', pgError('08006', 'connection failure')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['a pool that lost its connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['TypeORM: the connection under a transaction died', new QueryRunnerProviderAlreadyReleasedError()],
    ['TypeORM wrapping the driver error', new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection'))],
  ])('database: %s', (_what, error) => {
    expect(infrastructureOutage(error)).toBe('database');
  });

  it.each([
    ['an unreachable broker', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')],
    ['retries exhausted', new KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 5, retryTime: 100 })],
    ['too few in-sync replicas while a broker is down', protocolError('NOT_ENOUGH_REPLICAS', 19, true)],
  ])('kafka: %s', (_what, error) => {
    expect(infrastructureOutage(error)).toBe('kafka');
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a check violation', pgError('23514', 'new row violates check constraint')],
    ['a syntax error (a bug)', pgError('42601', 'syntax error at or near "SELEC"')],
    ['an invalid payload', new ContractValidationError('X', [{ field: 'a', message: 'must be a string' }])],
    ['a type error in a handler', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a message the broker refuses', protocolError('MESSAGE_TOO_LARGE', 10, false)],
    ['no error at all', undefined],
  ])('not an outage: %s', (_what, error) => {
    expect(infrastructureOutage(error)).toBeUndefined();
  });
});

describe('messageRefusal names what the broker refused for the message itself', () => {
  it('finds MESSAGE_TOO_LARGE, also wrapped', () => {
    const refused = protocolError('MESSAGE_TOO_LARGE', 10, false);
    expect(messageRefusal(refused)).toBe('MESSAGE_TOO_LARGE');
    expect(messageRefusal(Object.assign(new Error('wrapped'), { cause: refused }))).toBe('MESSAGE_TOO_LARGE');
  });
  it('is undefined for outages', () => {
    expect(messageRefusal(new KafkaJSConnectionError('down'))).toBeUndefined();
    expect(messageRefusal(protocolError('LEADER_NOT_AVAILABLE', 5, true))).toBeUndefined();
  });
});
