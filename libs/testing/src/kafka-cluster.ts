import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from './env';
import { testKafka } from './kafka-probe';

const INFRA = resolve(__dirname, '../../../deploy/local/infra.sh');

function infra(...args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    execFile('bash', [INFRA, ...args], { maxBuffer: 1024 * 1024, timeout: 300000 }, (error, stdout, stderr) => {
      if (error) rej(new Error(`infra.sh ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else res(stdout.trim());
    });
  });
}

/**
 * The real 3-node KRaft cluster of deploy/local/infra.sh (brokers 127.0.0.1:29092-29094, replication factor 3,
 * min.insync.replicas 2), for fault tests that kill a broker.
 */
export class KafkaCluster {
  brokers: string[] = [];

  constructor(readonly nodes = 3) {}

  async start(): Promise<this> {
    this.brokers = (await infra('kafka-start', String(this.nodes))).split('\n').pop()!.split(',');
    await this.waitUntilAllBrokersServe();
    return this;
  }

  /** SIGKILL of one node (1-based), like a machine failing. */
  async kill(node: number): Promise<void> {
    await infra('kafka-kill', String(node));
  }

  /** Starts a killed node again and waits until the cluster lists it. */
  async restartNode(node: number): Promise<void> {
    await infra('kafka-restart-node', String(node));
    await this.waitUntilAllBrokersServe();
  }

  /** Stops every node and removes the cluster's data, so the next run starts fresh. */
  async stop(): Promise<void> {
    await infra('kafka-purge', String(this.nodes));
  }

  private async waitUntilAllBrokersServe(): Promise<void> {
    await waitFor(
      `all ${this.nodes} Kafka nodes in the cluster`,
      async () => {
        const admin = testKafka(this.brokers).admin();
        await admin.connect();
        try {
          return (await admin.describeCluster()).brokers.length >= this.nodes;
        } finally {
          await admin.disconnect();
        }
      },
      120000,
      500,
    );
  }
}
