import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per process; `/metrics` serves it. Metric names are documented in docs/operations.md. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'poststelle_process_' });

const labels = ['service', 'topic'] as const;

export const metrics = {
  consumed: new Counter({
    name: 'poststelle_messages_consumed_total',
    help: 'Messages handled successfully (including duplicates skipped)',
    labelNames: [...labels, 'outcome'],
    registers: [registry],
  }),
  produced: new Counter({
    name: 'poststelle_messages_produced_total',
    help: 'Messages published to Kafka',
    labelNames: labels,
    registers: [registry],
  }),
  retried: new Counter({
    name: 'poststelle_messages_retried_total',
    help: 'Handler attempts that failed and were retried',
    labelNames: labels,
    registers: [registry],
  }),
  deadLettered: new Counter({
    name: 'poststelle_messages_dead_lettered_total',
    help: 'Messages sent to a dead-letter topic',
    labelNames: labels,
    registers: [registry],
  }),
  processing: new Histogram({
    name: 'poststelle_message_processing_seconds',
    help: 'Time from receiving a message to committing its effects',
    labelNames: labels,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  outboxBacklog: new Gauge({
    name: 'poststelle_outbox_backlog',
    help: 'Outbox rows not yet published',
    labelNames: ['service'],
    registers: [registry],
  }),
  outboxOldestAge: new Gauge({
    name: 'poststelle_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when empty)',
    labelNames: ['service'],
    registers: [registry],
  }),
  outboxPublishFailures: new Counter({
    name: 'poststelle_outbox_publish_failures_total',
    help: 'Relay rounds that failed to publish (broker or database unreachable); the relay retries',
    labelNames: ['service'],
    registers: [registry],
  }),
  outboxParked: new Gauge({
    name: 'poststelle_outbox_parked',
    help: 'Outbox rows parked because they cannot be published, waiting for an operator',
    labelNames: ['service'],
    registers: [registry],
  }),
  outboxParkedTotal: new Counter({
    name: 'poststelle_outbox_parked_total',
    help: 'Outbox rows parked, by reason code',
    labelNames: ['service', 'reason'],
    registers: [registry],
  }),
  consumerPaused: new Gauge({
    name: 'poststelle_consumer_paused',
    help: '1 while a consumer group waits for its database or broker to come back (infrastructure outage)',
    labelNames: ['service', 'group'],
    registers: [registry],
  }),
  consumerRunning: new Gauge({
    name: 'poststelle_consumer_running',
    help: '1 while a consumer group is running, 0 when it has stopped or crashed',
    labelNames: ['service', 'group'],
    registers: [registry],
  }),
  consumerOutageRetries: new Counter({
    name: 'poststelle_consumer_outage_retries_total',
    help: 'Handler attempts that failed because the database or broker was unreachable (retried without limit)',
    labelNames: ['service', 'group', 'cause'],
    registers: [registry],
  }),
  deadLettersOpen: new Gauge({
    name: 'poststelle_dead_letters_open',
    help: 'Dead letters neither replayed nor discarded',
    labelNames: ['service'],
    registers: [registry],
  }),
  repairActions: new Counter({
    name: 'poststelle_repair_actions_total',
    help: 'Operator repair actions (dead-letter replay or discard, parked-row retry or discard)',
    labelNames: ['service', 'action'],
    registers: [registry],
  }),
  consumerLag: new Gauge({
    name: 'poststelle_consumer_lag',
    help: 'Messages behind the partition end, per consumer group',
    labelNames: ['service', 'group', 'topic', 'partition'],
    registers: [registry],
  }),
  queueItems: new Gauge({
    name: 'poststelle_queue_items',
    help: 'Items waiting in a work queue (manual routing, scan classification, unmatched payments, FIT-Connect cases), all tenants',
    labelNames: ['service', 'queue'],
    registers: [registry],
  }),
  queueOldestAge: new Gauge({
    name: 'poststelle_queue_oldest_age_seconds',
    help: 'Age of the oldest item waiting in a work queue (0 when empty)',
    labelNames: ['service', 'queue'],
    registers: [registry],
  }),
  httpRequests: new Counter({
    name: 'poststelle_http_requests_total',
    help: 'HTTP requests',
    labelNames: ['service', 'method', 'route', 'status'],
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: 'poststelle_http_request_seconds',
    help: 'HTTP request duration',
    labelNames: ['service', 'method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
};
