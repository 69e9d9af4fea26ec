import { Logger, describeError, metrics } from '@poststelle/telemetry';
import { ALL_TENANTS, type TenantScope } from '../auth/tenant-scope';
import { type QueueCounts, type QueueSummary } from '../http/paging';

/** Counts one queue within a tenant scope (in the query, ADR 0016): how many items wait, the oldest since when. */
export type QueueCounter = (scope: TenantScope) => Promise<QueueCounts>;

/**
 * The work queues a service keeps, as one summary (`GET /v1/queues/summary`) and as Prometheus gauges
 * (`poststelle_queue_items`, `poststelle_queue_oldest_age_seconds`, refreshed on every scrape). Each module registers
 * its queues when it starts.
 */
export class QueueBoard {
  private readonly log = new Logger('QueueBoard');
  private readonly counters = new Map<string, QueueCounter>();

  constructor(private readonly service: string) {}

  register(name: string, counter: QueueCounter): void {
    this.counters.set(name, counter);
  }

  async summary(scope: TenantScope): Promise<{ queues: QueueSummary[] }> {
    const queues = await Promise.all([...this.counters].map(async ([name, count]) => ({ name, ...(await count(scope)) })));
    return { queues };
  }

  /** Sets the queue gauges over all tenants; a failing count leaves the last values (the scrape still answers). */
  async refreshMetrics(now = Date.now()): Promise<void> {
    try {
      for (const q of (await this.summary(ALL_TENANTS)).queues) {
        const labels = { service: this.service, queue: q.name };
        metrics.queueItems.set(labels, q.count);
        metrics.queueOldestAge.set(labels, q.oldestAt ? Math.max(0, (now - Date.parse(q.oldestAt)) / 1000) : 0);
      }
    } catch (error) {
      this.log.warn('queue gauges not refreshed', describeError(error));
    }
  }
}
