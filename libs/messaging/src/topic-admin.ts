import { type Admin, type Kafka } from 'kafkajs';

/** Creates topics on first use (the broker runs with auto-creation off) and remembers which exist. */
export class TopicAdmin {
  private readonly known = new Set<string>();
  private admin: Admin | undefined;
  private connecting: Promise<Admin> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly partitions: number,
    private readonly replicationFactor: number,
  ) {}

  async ensure(topics: Iterable<string>): Promise<void> {
    const missing = [...new Set(topics)].filter((t) => !this.known.has(t));
    if (missing.length === 0) return;
    const admin = await this.client();
    const existing = new Set(await admin.listTopics());
    const toCreate = missing.filter((t) => !existing.has(t));
    if (toCreate.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: toCreate.map((topic) => ({ topic, numPartitions: this.partitions, replicationFactor: this.replicationFactor })),
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
