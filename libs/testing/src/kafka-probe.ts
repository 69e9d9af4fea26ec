import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { testInfra, uniqueName, waitFor } from './env';

export interface ProbedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    const first: unknown = Array.isArray(v) ? v[0] : v;
    if (first !== undefined)
      out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : typeof first === 'string' ? first : JSON.stringify(first);
  }
  return out;
}

export function testKafka(brokers: string[] = testInfra.kafkaBrokers): Kafka {
  return new Kafka({ clientId: uniqueName('test'), brokers, logLevel: logLevel.NOTHING });
}

export interface KafkaProbeOptions {
  /** Brokers to read from (default: testInfra.kafkaBrokers), e.g. a 3-node cluster's. */
  brokers?: string[];
  /** Replication factor of topics the probe creates because they do not exist yet (default 1). */
  replicationFactor?: number;
}

/** Reads topics from the beginning into memory, as a back office would, so tests can assert what arrived. */
export class KafkaProbe {
  readonly messages: ProbedMessage[] = [];
  private consumer: Consumer | undefined;
  private readonly kafka: Kafka;
  private readonly replicationFactor: number;

  constructor(kafkaOrOptions: Kafka | KafkaProbeOptions = {}) {
    const options = kafkaOrOptions instanceof Kafka ? {} : kafkaOrOptions;
    this.kafka = kafkaOrOptions instanceof Kafka ? kafkaOrOptions : testKafka(options.brokers);
    this.replicationFactor = options.replicationFactor ?? 1;
  }

  async start(topics: (string | RegExp)[]): Promise<this> {
    const admin = this.kafka.admin();
    await admin.connect();
    const named = topics.filter((t): t is string => typeof t === 'string');
    const existing = new Set(await admin.listTopics());
    const missing = named.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: this.replicationFactor })),
        });
      } catch (error) {
        // On a busy broker kafkajs gives up waiting for leaders early; the topics exist all the same.
        const now = new Set(await admin.listTopics());
        if (!missing.every((t) => now.has(t))) throw error;
      }
    }
    await admin.disconnect();
    this.consumer = this.kafka.consumer({ groupId: uniqueName('probe'), maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: headersOf(message),
        });
        return Promise.resolve();
      },
    });
    return this;
  }

  on(topic: string): ProbedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async waitForCount(topic: string | ((m: ProbedMessage) => boolean), count: number, timeoutMs = 30000): Promise<ProbedMessage[]> {
    const match = typeof topic === 'string' ? (m: ProbedMessage) => m.topic === topic : topic;
    return waitFor(
      `${count} message(s)`,
      () => Promise.resolve(this.messages.filter(match).length >= count && this.messages.filter(match)),
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
