import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { Logger } from '@poststelle/telemetry';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Partitions for topics this service creates. */
  partitions: number;
  replicationFactor: number;
  /** `min.insync.replicas` for created topics (cluster mode: 2 with replication factor 3). */
  minInsyncReplicas?: number;
  /** `max.message.bytes` for created topics (default 1 MiB). */
  topicMaxMessageBytes?: number;
  /**
   * Optional prefix for every topic and consumer group (`<namespace>.<topic>`), so several environments or test
   * runs can share one cluster without seeing each other's messages. Code always uses the logical names.
   */
  namespace?: string;
  /** SASL/SCRAM credentials of this service's principal (see deploy/kafka-acls); TLS when `ssl` is set. */
  sasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  ssl?: boolean;
}

export function physicalName(namespace: string | undefined, logical: string): string {
  return namespace ? `${namespace}.${logical}` : logical;
}

export function logicalName(namespace: string | undefined, physical: string): string {
  return namespace && physical.startsWith(`${namespace}.`) ? physical.slice(namespace.length + 1) : physical;
}

const log = new Logger('kafkajs');

function logCreator() {
  return ({ level, log: entry }: LogEntry) => {
    const { message, ...rest } = entry;
    // Known advisory notices: the relay bounds its own retries and backs off (see OutboxRelay).
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    const fields = { broker: rest['broker'] as unknown, error: rest['error'] as unknown, groupId: rest['groupId'] as unknown };
    if (level === logLevel.ERROR) log.warn(message, fields);
    else if (level === logLevel.WARN) log.warn(message, fields);
  };
}

export function createKafka(settings: KafkaSettings, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
    ...(settings.sasl ? { sasl: settings.sasl as SASLOptions } : {}),
    ...(settings.ssl ? { ssl: true } : {}),
    ...overrides,
  });
}
