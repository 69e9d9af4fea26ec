import { type Admin, type Kafka } from 'kafkajs';
import { physicalName } from './kafka';

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  /** `min.insync.replicas` of created topics (with acks=all: how many replicas must have a write). */
  minInsyncReplicas?: number;
  /** `max.message.bytes` of created topics: the broker refuses larger record batches. */
  maxMessageBytes?: number;
}

/** Creates topics on first use (the broker runs with auto-creation off) and remembers which exist. */
export class TopicAdmin {
  private readonly known = new Set<string>();
  private admin: Admin | undefined;
  private connecting: Promise<Admin> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: TopicSettings,
    readonly namespace?: string,
  ) {}

  /** Topic-level configuration set on every topic this service creates. */
  configEntries(): { name: string; value: string }[] {
    const entries: { name: string; value: string }[] = [];
    if (this.settings.minInsyncReplicas !== undefined)
      entries.push({ name: 'min.insync.replicas', value: String(this.settings.minInsyncReplicas) });
    if (this.settings.maxMessageBytes !== undefined)
      entries.push({ name: 'max.message.bytes', value: String(this.settings.maxMessageBytes) });
    return entries;
  }

  /** The topic name on the broker for a logical topic name. */
  physical(logical: string): string {
    return physicalName(this.namespace, logical);
  }

  /** Makes sure the (logical) topics exist on the broker. */
  async ensure(logicalTopics: Iterable<string>): Promise<void> {
    const missing = [...new Set([...logicalTopics].map((t) => this.physical(t)))].filter((t) => !this.known.has(t));
    if (missing.length === 0) return;
    const admin = await this.client();
    const existing = new Set(await admin.listTopics());
    const toCreate = missing.filter((t) => !existing.has(t));
    if (toCreate.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: toCreate.map((topic) => ({
            topic,
            numPartitions: this.settings.partitions,
            replicationFactor: this.settings.replicationFactor,
            configEntries: this.configEntries(),
          })),
        });
      } catch (error) {
        // Another instance may have created it in between; anything else is re-thrown after a re-check.
        const after = new Set(await admin.listTopics());
        if (!toCreate.every((t) => after.has(t))) throw error;
      }
    }
    missing.forEach((t) => this.known.add(t));
  }

  async client(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.connecting ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
      return admin;
    })();
    return this.connecting;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connecting = undefined;
    await admin?.disconnect();
  }
}
