/**
 * Tells an outage of the infrastructure (PostgreSQL or Kafka unreachable, restarting, overloaded) from an error of
 * the message itself. An outage is never the message's fault: the consumer pauses and retries without limit instead
 * of counting attempts towards the dead-letter topic.
 */

/** Node socket errors that mean "the server is not there (right now)". */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01-57P03 (admin or crash
 * shutdown, cannot connect now), 53300 (too many connections), 53100 (disk full), 58000/58030 (system, I/O error).
 */
const PG_OUTAGE_STATES = /^(08...|57P0[1-3]|53[13]00|580(00|30))$/;

/** Messages of node-postgres and pg-pool when the connection is gone or cannot be had. */
const PG_OUTAGE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'the database system is starting up',
  'the database system is shutting down',
  'terminating connection due to administrator command',
  // An operator closed the database for connections (ALTER DATABASE ... ALLOW_CONNECTIONS false) during maintenance.
  'is not currently accepting connections',
];

/** kafkajs errors of an unreachable or re-electing cluster. */
const KAFKA_OUTAGE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTimeout',
]);

/** TypeORM errors of a connection that died under a running transaction (the server went away). */
const TYPEORM_OUTAGE_NAMES = new Set(['QueryRunnerProviderAlreadyReleasedError', 'QueryRunnerAlreadyReleasedError']);

export type InfrastructureKind = 'database' | 'kafka';

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  retriable?: unknown;
  driverError?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

function chain(error: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 10) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.includes(e as ErrorLike)) continue;
    const err = e as ErrorLike;
    seen.push(err);
    queue.push(err.driverError, err.cause, err.originalError);
    if (Array.isArray(err.errors)) queue.push(...(err.errors as unknown[]));
  }
  return seen;
}

/** `database` or `kafka` when the error is an outage of that infrastructure; `undefined` when it is anything else. */
export function infrastructureOutage(error: unknown): InfrastructureKind | undefined {
  for (const e of chain(error)) {
    const name = typeof e.name === 'string' ? e.name : '';
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (KAFKA_OUTAGE_NAMES.has(name)) return 'kafka';
    if (name === 'KafkaJSNumberOfRetriesExceeded') return 'kafka';
    // Retriable protocol errors: leader elections, too few in-sync replicas while a broker is down.
    if (name === 'KafkaJSProtocolError' && e.retriable === true) return 'kafka';
    if (PG_OUTAGE_STATES.test(code)) return 'database';
    if (TYPEORM_OUTAGE_NAMES.has(name)) return 'database';
    if (PG_OUTAGE_MESSAGES.some((m) => message.includes(m))) return 'database';
    // Some layers re-throw a socket error as a plain Error with the same message but without its code.
    const socket = SOCKET_CODES.has(code) ? code : /\b(?:connect|read|write) (E[A-Z]+)\b/.exec(message)?.[1];
    if (socket && SOCKET_CODES.has(socket)) return name.startsWith('KafkaJS') ? 'kafka' : 'database';
  }
  return undefined;
}
