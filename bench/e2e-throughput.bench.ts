/**
 * End-to-end throughput benchmark: Poststelle (HTTP intake → procedure topic) against a raw kafkajs hop on the same
 * broker, in the same run.
 *
 *   npm run build && npm run bench          (= node scripts/run-ts.js bench/e2e-throughput.bench.ts)
 *
 * Needs a Kafka broker on KAFKA_BROKERS and PostgreSQL on DATABASE_URL (same defaults as the tests). See
 * bench/README.md for what is measured and the knobs (BENCH_CASES, BENCH_WARMUP, BENCH_CONCURRENCY, ...).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import { Client } from 'pg';
import { type Kafka } from 'kafkajs';
import { Topics, procedureTopic } from '@poststelle/contracts';
import { KafkaProbe, Stack, portalSubmission, testInfra, testKafka, uniqueName, waitFor, type ProbedMessage } from '@poststelle/testing';

const ROOT = resolve(__dirname, '..');

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

const config = {
  /** Measured cases (Poststelle) and messages (raw kafkajs). */
  count: intEnv('BENCH_CASES', 1000),
  /** Unmeasured cases/messages sent first (JIT, connection pools, group joins, topic metadata). */
  warmup: intEnv('BENCH_WARMUP', 50, 0),
  /** Requests (Poststelle) and produce calls (raw) in flight at once. */
  concurrency: intEnv('BENCH_CONCURRENCY', 16),
  /**
   * Cases/messages sent one at a time after the measured round, each only after the previous one arrived and a
   * pause: latency without queueing (0 = skip).
   */
  unloaded: intEnv('BENCH_UNLOADED', 50, 0),
  /** The pause between unloaded sends, so the downstream work of the previous case (fees, e-file) is done. */
  unloadedGapMs: intEnv('BENCH_UNLOADED_GAP_MS', 300, 0),
  /** Per HTTP request / per produce call. */
  requestTimeoutMs: intEnv('BENCH_REQUEST_TIMEOUT_MS', 30_000),
  /** How long to wait for the last message to arrive after the last send completed. */
  arrivalTimeoutMs: intEnv('BENCH_ARRIVAL_TIMEOUT_MS', 120_000),
  /** Hard limit for the whole run; the services are killed when it is exceeded. */
  totalTimeoutMs: intEnv('BENCH_TIMEOUT_MS', 15 * 60_000),
  /** Raw payload size in bytes; default: the median size of the case envelopes seen on the procedure topic. */
  payloadBytes: process.env['BENCH_PAYLOAD_BYTES'] ? intEnv('BENCH_PAYLOAD_BYTES', 2500) : undefined,
};

// The demo route of the e2e test: Bewohnerparkausweis in Potsdam, with a fee (so payment, erechnung and archive work too).
const LEIKA = '99050012104000';
const TENANT = '120540000000';
const PROCEDURE = 'parking-potsdam';

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

async function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs task(0..count-1) with at most `concurrency` in flight; stops handing out work after the first failure. */
async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        results[i] = await task(i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

interface Stats {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of durations in ms. */
function stats(values: number[]): Stats {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return {
    count: sorted.length,
    p50: rank(50),
    p99: rank(99),
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

function median(values: number[]): number {
  return stats(values).p50;
}

/**
 * Notes the moment (performance.now()) each message reaches a KafkaProbe, by topic and key, in the probe's own
 * eachMessage callback: the probe appends every message it receives to `messages`, so we time-stamp that append.
 * The first arrival counts (Kafka delivers at least once).
 */
class ArrivalClock {
  private readonly arrivals = new Map<string, number>();

  constructor(readonly probe: KafkaProbe) {
    const messages = probe.messages;
    const append = messages.push.bind(messages);
    messages.push = (...items: ProbedMessage[]): number => {
      const now = performance.now();
      for (const m of items) {
        const id = ArrivalClock.id(m.topic, m.key ?? '');
        if (!this.arrivals.has(id)) this.arrivals.set(id, now);
      }
      return append(...items);
    };
  }

  static id(topic: string, key: string): string {
    return `${topic}\u0000${key}`;
  }

  at(topic: string, key: string): number | undefined {
    return this.arrivals.get(ArrivalClock.id(topic, key));
  }

  /** Waits until every key has arrived on the topic; the deadline only bounds the wait, it does not skew timings. */
  async waitForAll(topic: string, keys: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = keys.filter((k) => !this.arrivals.has(ArrivalClock.id(topic, k))).length;
      if (missing === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`${missing} of ${keys.length} message(s) did not arrive on ${topic} within ${timeoutMs} ms`);
      }
      await sleep(20);
    }
  }
}

/**
 * Creates the topics (3 partitions, as the services and KafkaProbe do) unless they exist, and waits until every
 * partition has a leader. KafkaProbe would create a missing topic itself with `waitForLeaders: true`, but on a busy
 * KRaft broker that wait can fail with "This server does not host this topic-partition" (kafkajs retries only
 * LEADER_NOT_AVAILABLE there), so the benchmark creates its topics first and polls for the leaders instead.
 */
/** The unloaded round: `config.unloaded` items, one at a time, each waited for before the next, a gap apart. */
async function unloadedRound<T>(what: string, sendOne: (i: number) => Promise<T>, arrived: (item: T) => Promise<unknown>): Promise<T[]> {
  const items: T[] = [];
  if (config.unloaded === 0) return items;
  await sleep(2000);
  log(`unloaded: ${config.unloaded} ${what}, one at a time, ${config.unloadedGapMs} ms apart`);
  for (let i = 0; i < config.unloaded; i += 1) {
    const one = await sendOne(i);
    await arrived(one);
    items.push(one);
    await sleep(config.unloadedGapMs);
  }
  return items;
}

async function ensureTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
        });
      } catch {
        /* created by someone else in between, or a real failure: the wait below decides */
      }
    }
    await waitFor(
      `partition leaders for ${topics.join(', ')}`,
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics });
        return metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      },
      30_000,
      100,
    );
  } finally {
    await admin.disconnect();
  }
}

async function deleteTopics(kafka: Kafka, match: (topic: string) => boolean): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter(match);
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}

/** Cleanup that must not turn a result into a failure (or hang): logged, bounded. */
async function bestEffort(what: string, action: () => Promise<void>, ms = 30_000): Promise<void> {
  try {
    await withTimeout(what, action(), ms);
  } catch (error) {
    console.error(`[bench] cleanup: ${what} failed: ${(error as Error).message}`);
  }
}

/**
 * CPU time per component over a window, from /proc (Linux only; elsewhere the CPU table is left out). Components:
 * the stack's service processes (children of this process), the Kafka broker(s) (java running kafka.Kafka),
 * PostgreSQL, this benchmark process, and everything else on the machine by command name (other work on the machine
 * competes for the same cores and shows up there).
 */
interface ProcessTicks {
  /** utime + stime so far, in USER_HZ ticks (all threads). */
  ticks: number;
  /** Start time since boot; tells a reused PID from the process we saw before. */
  started: string;
  component: string;
}

interface CpuSnapshot {
  at: number;
  processes: Map<number, ProcessTicks>;
  /** Busy ticks of the whole machine, all CPUs (user + nice + system + irq + softirq). */
  busy: number;
  /** Ticks the hypervisor gave to someone else (a VM's "steal"). */
  steal: number;
}

const USER_HZ = 100; // /proc reports utime/stime in USER_HZ, which is 100 on Linux

function cpuComponent(pid: number, ppid: number, comm: string): string {
  if (pid === process.pid) return 'bench process (HTTP client, producer, probe)';
  if (comm === 'postgres') return 'PostgreSQL';
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    /* exited meanwhile */
  }
  if (ppid === process.pid) {
    const service = /run-service\.js (\w+)/.exec(cmdline)?.[1];
    if (service) return `service: ${service}`;
  }
  if (comm === 'java' && cmdline.includes('kafka.Kafka')) return 'Kafka broker (java)';
  return `other: ${comm}`;
}

function readCpu(): CpuSnapshot | undefined {
  const at = performance.now();
  let dirs: string[];
  let machine: number[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    const [, ...cols] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    machine = cols.map(Number);
  } catch {
    return undefined;
  }
  const processes = new Map<number, ProcessTicks>();
  for (const dir of dirs) {
    try {
      const stat = readFileSync(`/proc/${dir}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 of proc(5) (state)
      const pid = Number(dir);
      processes.set(pid, {
        ticks: Number(fields[11]) + Number(fields[12]), // utime (14) + stime (15)
        started: fields[19] ?? '', // starttime (22)
        component: cpuComponent(pid, Number(fields[1]), comm),
      });
    } catch {
      /* the process exited while we read /proc */
    }
  }
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = machine;
  return { at, processes, busy: user + nice + system + irq + softirq, steal };
}

interface CpuUse {
  /** CPU seconds per component in the window. */
  seconds: Map<string, number>;
  /** Busy CPU seconds of the whole machine in the window (includes processes that ended within it). */
  machineSeconds: number;
  stealSeconds: number;
  /** Length of the window. */
  wallSeconds: number;
}

function cpuSince(before: CpuSnapshot | undefined): CpuUse | undefined {
  const after = readCpu();
  if (!before || !after) return undefined;
  const seconds = new Map<string, number>();
  for (const [pid, now] of after.processes) {
    // Per PID: a process forked within the window starts from zero; one that ended within it is missing here
    // (but counted in the machine total).
    const then = before.processes.get(pid);
    const delta = (now.ticks - (then && then.started === now.started ? then.ticks : 0)) / USER_HZ;
    if (delta > 0) seconds.set(now.component, (seconds.get(now.component) ?? 0) + delta);
  }
  return {
    seconds,
    machineSeconds: (after.busy - before.busy) / USER_HZ,
    stealSeconds: (after.steal - before.steal) / USER_HZ,
    wallSeconds: (after.at - before.at) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Poststelle: POST /v1/submissions → intake (tx + outbox) → relay → cases.received.v1 → routing (tx + outbox)
// → relay → procedure.<id>.cases.v1

interface PoststelleResult {
  cases: number;
  wallMs: number;
  perSecond: number;
  loaded: CaseLatencies;
  /** One case in flight at a time (undefined with BENCH_UNLOADED=0). */
  unloaded: CaseLatencies | undefined;
  envelopeBytes: number;
  cpu: CpuUse | undefined;
  /** POSTs that failed at the connection level and were retried (same Idempotency-Key). */
  connectionRetries: number;
}

interface CaseLatencies {
  /** POST sent → case on the procedure topic. */
  endToEnd: Stats;
  /** POST sent → 202 received. */
  accepted: Stats;
  /** POST sent → case.received on cases.received.v1. */
  received: Stats;
  /** case.received on cases.received.v1 → case on the procedure topic. */
  routingStage: Stats;
}

interface Posted {
  caseId: string;
  sentAt: number;
  acceptedAt: number;
}

let runningStack: Stack | undefined;

async function benchPoststelle(): Promise<PoststelleResult> {
  const stack = new Stack();
  runningStack = stack;
  let probe: KafkaProbe | undefined;
  try {
    log('starting the five services (dist/) against a fresh database');
    await withTimeout('stack start', stack.start(), 180_000);
    await withTimeout(
      'route seed',
      stack.seedRoute({ procedureId: PROCEDURE, tenantArs: TENANT, leikaKey: LEIKA, arsPrefix: '12054', fee: '30.50' }),
      30_000,
    );
    const onProcedure = stack.topic(procedureTopic(PROCEDURE));
    const onReceived = stack.topic(Topics.casesReceived);
    await withTimeout('topic creation', ensureTopics(testKafka(), [onProcedure, onReceived]), 60_000);
    probe = new KafkaProbe();
    const clock = new ArrivalClock(probe);
    await withTimeout('probe start', probe.start([onProcedure, onReceived]), 60_000);

    const intake = stack.url('intake');
    const channel = await stack.authorization('channel-demo');
    let connectionRetries = 0;
    const post = async (): Promise<Posted> => {
      const body = JSON.stringify(portalSubmission());
      const idempotencyKey = randomUUID();
      const send = () =>
        fetch(`${intake}/v1/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...channel },
          body,
          signal: AbortSignal.timeout(config.requestTimeoutMs),
        });
      const sentAt = performance.now();
      let res: Response;
      try {
        res = await send();
      } catch (error) {
        // A connection-level failure (fetch's TypeError, e.g. a kept-alive socket the server closed just then) is
        // retried once under the same Idempotency-Key, so it cannot create a second case; the latency keeps the
        // first attempt's start. Timeouts (AbortError) and HTTP errors are not retried.
        if (!(error instanceof TypeError)) throw error;
        connectionRetries += 1;
        log(`POST failed at the connection level, retrying once with the same Idempotency-Key: ${describe(error, false)}`);
        res = await send();
      }
      const text = await res.text();
      const acceptedAt = performance.now();
      if (res.status !== 202) throw new Error(`POST /v1/submissions answered ${res.status}: ${text.slice(0, 500)}`);
      const caseId = (JSON.parse(text) as { caseId?: unknown }).caseId;
      if (typeof caseId !== 'string') throw new Error(`POST /v1/submissions answered without a caseId: ${text.slice(0, 500)}`);
      return { caseId, sentAt, acceptedAt };
    };
    const round = async (what: string, n: number): Promise<Posted[]> => {
      const posted = await pool(n, config.concurrency, post);
      await clock.waitForAll(
        onProcedure,
        posted.map((p) => p.caseId),
        config.arrivalTimeoutMs,
      );
      log(`${what}: ${n} case(s) arrived on ${onProcedure}`);
      return posted;
    };

    if (config.warmup > 0) {
      await round('warm-up', config.warmup);
      await sleep(2000); // let payment, erechnung and archive finish the warm-up cases before measuring
    }
    log(`measuring ${config.count} case(s), ${config.concurrency} request(s) in flight`);
    const cpuBefore = readCpu();
    const posted = await round('measured', config.count);
    const cpu = cpuSince(cpuBefore);

    const unloaded = await unloadedRound(
      'case(s)',
      () => post(),
      (one) => clock.waitForAll(onProcedure, [one.caseId], config.arrivalTimeoutMs),
    );

    const at = (topic: string, caseId: string) => {
      const t = clock.at(topic, caseId);
      if (t === undefined) throw new Error(`no arrival recorded for case ${caseId} on ${topic}`);
      return t;
    };
    const latencies = (cases: Posted[]): CaseLatencies => ({
      endToEnd: stats(cases.map((p) => at(onProcedure, p.caseId) - p.sentAt)),
      accepted: stats(cases.map((p) => p.acceptedAt - p.sentAt)),
      received: stats(cases.map((p) => at(onReceived, p.caseId) - p.sentAt)),
      routingStage: stats(cases.map((p) => at(onProcedure, p.caseId) - at(onReceived, p.caseId))),
    });
    const first = Math.min(...posted.map((p) => p.sentAt));
    const last = Math.max(...posted.map((p) => at(onProcedure, p.caseId)));
    const measured = new Set(posted.map((p) => p.caseId));
    const envelopes = probe.messages.filter((m) => m.topic === onProcedure && m.key !== null && measured.has(m.key) && m.value !== null);
    const wallMs = last - first;
    return {
      cases: posted.length,
      wallMs,
      perSecond: (posted.length / wallMs) * 1000,
      loaded: latencies(posted),
      unloaded: unloaded.length > 0 ? latencies(unloaded) : undefined,
      envelopeBytes: median(envelopes.map((m) => Buffer.byteLength(m.value ?? '', 'utf8'))),
      cpu,
      connectionRetries,
    };
  } catch (error) {
    console.error(`[bench] service logs (tail):\n${stack.logs()}`);
    throw error;
  } finally {
    const started = probe;
    if (started) await bestEffort('probe stop', () => started.stop());
    await bestEffort('stack stop', () => stack.stop(), 90_000);
    runningStack = undefined;
    await bestEffort('delete the run\u2019s topics', () => deleteTopics(testKafka(), (t) => t.startsWith(`${stack.namespace}.`)));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Baseline: one raw kafkajs produce → consume hop, same client settings as the services' producer

interface RawResult {
  messages: number;
  wallMs: number;
  perSecond: number;
  loaded: MessageLatencies;
  /** One message in flight at a time (undefined with BENCH_UNLOADED=0). */
  unloaded: MessageLatencies | undefined;
  payloadBytes: number;
  cpu: CpuUse | undefined;
}

interface MessageLatencies {
  /** Send → received by the consumer (timestamp embedded in the message). */
  endToEnd: Stats;
  /** Send → acknowledged by the broker (acks=-1). */
  acked: Stats;
}

/** A keyed JSON message of exactly `bytes` bytes with the send time embedded (performance.now(), same process). */
function rawValue(key: string, sentAt: number, filler: string, bytes: number): string {
  const head = `{"key":"${key}","sentAt":${sentAt},"body":${filler},"pad":"`;
  const tail = '"}';
  const pad = Math.max(0, bytes - Buffer.byteLength(head, 'utf8') - tail.length);
  return `${head}${'x'.repeat(pad)}${tail}`;
}

async function benchRawKafka(payloadBytes: number): Promise<RawResult> {
  const kafka = testKafka();
  const topic = uniqueName('bench-raw').toLowerCase();
  const probe = new KafkaProbe(testKafka());
  const clock = new ArrivalClock(probe);
  // Same producer settings as MessagingRuntime (idempotent, one request in flight per broker, acks=all).
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const filler = JSON.stringify({ case: portalSubmission() });
  try {
    await withTimeout('topic creation', ensureTopics(kafka, [topic]), 60_000); // 3 partitions, RF 1
    await withTimeout('raw probe start', probe.start([topic]), 60_000);
    await withTimeout('raw producer connect', producer.connect(), 30_000);
    const send = async (key: string) => {
      const sentAt = performance.now();
      await withTimeout(
        'produce',
        producer.send({ topic, acks: -1, messages: [{ key, value: rawValue(key, sentAt, filler, payloadBytes) }] }),
        config.requestTimeoutMs,
      );
      return { key, sentAt, ackedAt: performance.now() };
    };
    const round = async (what: string, prefix: string, n: number) => {
      const sent = await pool(n, config.concurrency, (i) => send(`${prefix}-${i}`));
      await clock.waitForAll(
        topic,
        sent.map((s) => s.key),
        config.arrivalTimeoutMs,
      );
      log(`${what}: ${n} message(s) arrived on ${topic}`);
      return sent;
    };

    if (config.warmup > 0) {
      await round('warm-up', 'warm', config.warmup);
      await sleep(2000);
    }
    log(`measuring ${config.count} message(s) of ${payloadBytes} bytes, ${config.concurrency} send(s) in flight`);
    const cpuBefore = readCpu();
    const sent = await round('measured', 'msg', config.count);
    const cpu = cpuSince(cpuBefore);

    const unloaded = await unloadedRound(
      'message(s)',
      (i) => send(`one-${i}`),
      (one) => clock.waitForAll(topic, [one.key], config.arrivalTimeoutMs),
    );

    const byKey = new Map(probe.messages.filter((m) => m.topic === topic).map((m) => [m.key ?? '', m] as const));
    const arrival = (key: string) => {
      const t = clock.at(topic, key);
      if (t === undefined) throw new Error(`no arrival recorded for message ${key}`);
      return t;
    };
    const latencies = (messages: typeof sent): MessageLatencies => ({
      endToEnd: stats(
        messages.map((s) => {
          const value = byKey.get(s.key)?.value;
          if (!value) throw new Error(`message ${s.key} not recorded`);
          return arrival(s.key) - (JSON.parse(value) as { sentAt: number }).sentAt;
        }),
      ),
      acked: stats(messages.map((s) => s.ackedAt - s.sentAt)),
    });
    const first = Math.min(...sent.map((s) => s.sentAt));
    const last = Math.max(...sent.map((s) => arrival(s.key)));
    const wallMs = last - first;
    return {
      messages: sent.length,
      wallMs,
      perSecond: (sent.length / wallMs) * 1000,
      loaded: latencies(sent),
      unloaded: unloaded.length > 0 ? latencies(unloaded) : undefined,
      payloadBytes: median(sent.map((s) => Buffer.byteLength(byKey.get(s.key)?.value ?? '', 'utf8'))),
      cpu,
    };
  } finally {
    await bestEffort('raw producer disconnect', () => producer.disconnect());
    await bestEffort('raw probe stop', () => probe.stop());
    await bestEffort('delete the raw topic', () => deleteTopics(kafka, (t) => t === topic));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Machine and report

interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  kafka: string;
  kafkajs: string;
  postgres: string;
  loadAverage: string;
}

function readVersion(file: string, pattern: RegExp): string {
  try {
    return pattern.exec(readFileSync(resolve(ROOT, file), 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function postgresVersion(): Promise<string> {
  const db = new Client({ connectionString: testInfra.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await db.connect();
    const { rows } = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return rows[0]?.v ?? 'unknown';
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  } finally {
    await db.end().catch(() => undefined);
  }
}

async function machine(): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    kafka: readVersion('deploy/local/kafka/pom.xml', /<kafka\.version>([^<]+)<\/kafka\.version>/),
    kafkajs: readVersion('node_modules/kafkajs/package.json', /"version"\s*:\s*"([^"]+)"/),
    postgres: await withTimeout('postgres version', postgresVersion(), 10_000),
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}

const ms = (v: number) => v.toFixed(1);
const rate = (v: number) => v.toFixed(0);
const ratio = (v: number) => `${v.toFixed(v < 0.1 ? 3 : 2)}×`;

function report(m: Machine, raw: RawResult, ps: PoststelleResult, startedAt: Date): string {
  const rawE2e = raw.loaded.endToEnd;
  const psE2e = ps.loaded.endToEnd;
  const stage = (name: string, pick: (l: 'loaded' | 'unloaded') => Stats | undefined) => {
    const loaded = pick('loaded');
    const unloaded = pick('unloaded');
    const cells = (x: Stats | undefined) => (x ? `${ms(x.p50)} | ${ms(x.p99)}` : '– | –');
    return `| ${name} | ${cells(loaded)} | ${cells(unloaded)} |`;
  };
  const unloadedRatio = (q: 'p50' | 'p99') =>
    ps.unloaded && raw.unloaded ? `**${ratio(ps.unloaded.endToEnd[q] / raw.unloaded.endToEnd[q])}**` : '–';
  const lines = [
    `Run: ${startedAt.toISOString()} · N = ${config.count} per path (warm-up ${config.warmup}, not measured) · ` +
      `${config.concurrency} in flight · unloaded: ${config.unloaded} one at a time, ${config.unloadedGapMs} ms apart · brokers ${testInfra.kafkaBrokers.join(',')}`,
    '',
    '| Machine | |',
    '|---|---|',
    `| CPU | ${m.cpu} |`,
    `| Cores | ${m.cores} |`,
    `| Memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    `| Kafka (deploy/local/kafka/pom.xml) | ${m.kafka}, single broker (KRaft) |`,
    `| kafkajs | ${m.kafkajs} |`,
    `| PostgreSQL | ${m.postgres} |`,
    `| Load average at start (1/5/15 min) | ${m.loadAverage} |`,
    '',
    `Throughput and latency with ${config.concurrency} in flight:`,
    '',
    '| Path | N | Wall time (s) | Throughput (/s) | p50 (ms) | p99 (ms) | max (ms) |',
    '|---|--:|--:|--:|--:|--:|--:|',
    `| Raw kafkajs: produce → consume, 1 hop (${raw.payloadBytes} B, keyed, acks=-1, idempotent) | ${raw.messages} | ` +
      `${(raw.wallMs / 1000).toFixed(2)} | ${rate(raw.perSecond)} msgs/s | ${ms(rawE2e.p50)} | ${ms(rawE2e.p99)} | ${ms(rawE2e.max)} |`,
    `| Poststelle: POST /v1/submissions → procedure topic | ${ps.cases} | ${(ps.wallMs / 1000).toFixed(2)} | ` +
      `${rate(ps.perSecond)} cases/s | ${ms(psE2e.p50)} | ${ms(psE2e.p99)} | ${ms(psE2e.max)} |`,
    `| **Poststelle ÷ raw** | | | **${ratio(ps.perSecond / raw.perSecond)}** | **${ratio(psE2e.p50 / rawE2e.p50)}** | ` +
      `**${ratio(psE2e.p99 / rawE2e.p99)}** | **${ratio(psE2e.max / rawE2e.max)}** |`,
    '',
    `Latency by stage (ms), loaded (${config.concurrency} in flight) and unloaded (one at a time, each after the previous arrived + ${config.unloadedGapMs} ms):`,
    '',
    '| Stage | p50 loaded | p99 loaded | p50 unloaded | p99 unloaded |',
    '|---|--:|--:|--:|--:|',
    stage('Raw: send → broker ack', (l) => raw[l]?.acked),
    stage('Raw: send → consumer (1 hop)', (l) => raw[l]?.endToEnd),
    stage('Poststelle: POST → 202 Accepted (HTTP, validation, blob, DB transaction with outbox row)', (l) => ps[l]?.accepted),
    stage('Poststelle: POST → on cases.received.v1 (+ intake outbox relay, hop 1)', (l) => ps[l]?.received),
    stage('Poststelle: cases.received.v1 → procedure topic (routing consumer tx, routing outbox relay, hop 2)', (l) => ps[l]?.routingStage),
    stage('Poststelle: POST → procedure topic (end to end)', (l) => ps[l]?.endToEnd),
    `| **Poststelle ÷ raw, end to end** | **${ratio(psE2e.p50 / rawE2e.p50)}** | **${ratio(psE2e.p99 / rawE2e.p99)}** | ` +
      `${unloadedRatio('p50')} | ${unloadedRatio('p99')} |`,
    '',
    `Case envelope on the procedure topic: ${ps.envelopeBytes} bytes (median); raw payload: ${raw.payloadBytes} bytes. ` +
      `POSTs retried after a connection-level failure: ${ps.connectionRetries}.`,
    ...cpuTable(m.cores, ps, raw),
  ];
  return lines.join('\n');
}

/** Share of the machine's busy CPU time that went to neither the stack, the broker, PostgreSQL nor the bench. */
function foreignShare(use: CpuUse): number {
  if (use.machineSeconds <= 0) return 0;
  const ours = [...use.seconds].filter(([c]) => !c.startsWith('other: ')).reduce((t, [, v]) => t + v, 0);
  return Math.max(0, use.machineSeconds - ours) / use.machineSeconds;
}

function noiseWarning(round: string, use: CpuUse): string[] {
  const foreign = foreignShare(use);
  if (foreign <= 0.1) return [];
  return [
    '',
    `**Warning:** other work on the machine used ${(foreign * 100).toFixed(0)} % of the busy CPU time during the ${round} ` +
      'round; its numbers are not representative. Run again on a quiet machine.',
  ];
}

function cpuTable(cores: number, ps: PoststelleResult, raw: RawResult): string[] {
  if (!ps.cpu || !raw.cpu) return [];
  const psCpu = ps.cpu;
  const rawCpu = raw.cpu;
  const all = [...new Set([...psCpu.seconds.keys(), ...rawCpu.seconds.keys()])].sort(
    (a, b) => (psCpu.seconds.get(b) ?? 0) - (psCpu.seconds.get(a) ?? 0),
  );
  // Everything that is not ours: the three biggest by command name, the rest summed up.
  const others = all.filter((c) => c.startsWith('other: '));
  const rest = others.slice(3);
  const sum = (use: CpuUse, names: string[]) => names.reduce((t, c) => t + (use.seconds.get(c) ?? 0), 0);
  const components = all.filter((c) => !rest.includes(c));
  const attributed = (use: CpuUse) => [...use.seconds.values()].reduce((t, v) => t + v, 0);
  const unattributed = (use: CpuUse) => Math.max(0, use.machineSeconds - attributed(use));
  const row = (name: string, a: number, b: number) =>
    `| ${name} | ${a.toFixed(2)} | ${((a * 1000) / ps.cases).toFixed(1)} | ${b.toFixed(2)} | ${((b * 1000) / raw.messages).toFixed(2)} |`;
  const share = (use: CpuUse) => `${((use.machineSeconds / (use.wallSeconds * cores)) * 100).toFixed(0)} %`;
  return [
    '',
    `CPU time during the measured rounds (${config.concurrency} in flight; from /proc; per case = CPU s ÷ N):`,
    '',
    '| Component | Poststelle CPU (s) | per case (ms) | Raw CPU (s) | per msg (ms) |',
    '|---|--:|--:|--:|--:|',
    ...components.map((c) => row(c, psCpu.seconds.get(c) ?? 0, rawCpu.seconds.get(c) ?? 0)),
    ...(rest.length > 0 ? [row(`other: ${rest.length} more command(s)`, sum(psCpu, rest), sum(rawCpu, rest))] : []),
    row('unattributed (processes that ended within the window, kernel)', unattributed(psCpu), unattributed(rawCpu)),
    row('**whole machine (busy)**', psCpu.machineSeconds, rawCpu.machineSeconds),
    `| machine busy ÷ capacity (${cores} cores × window) | ${share(psCpu)} of ${psCpu.wallSeconds.toFixed(1)} s | | ` +
      `${share(rawCpu)} of ${rawCpu.wallSeconds.toFixed(1)} s | |`,
    row('steal (hypervisor)', psCpu.stealSeconds, rawCpu.stealSeconds),
    ...noiseWarning('Poststelle', psCpu),
    ...noiseWarning('raw kafkajs', rawCpu),
  ];
}

/** The error with its chain of causes (fetch puts the socket error into `cause`). */
function describe(error: unknown, withStack = true): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth += 1) {
    parts.push(e instanceof Error ? (depth === 0 && withStack ? (e.stack ?? e.message) : `${e.name}: ${e.message}`) : inspect(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n  caused by: ');
}

function log(message: string): void {
  console.error(`[bench] ${message}`);
}

// ---------------------------------------------------------------------------------------------------------------

function killStack(): void {
  for (const s of runningStack?.services.values() ?? []) void s.kill();
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const watchdog = setTimeout(() => {
    console.error(`[bench] FAILED: the run exceeded BENCH_TIMEOUT_MS=${config.totalTimeoutMs}; killing the services`);
    killStack();
    process.exit(2);
  }, config.totalTimeoutMs);
  watchdog.unref();
  process.once('SIGINT', () => {
    killStack();
    process.exit(130);
  });

  const m = await machine();
  log(`${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, Kafka ${m.kafka}, load ${m.loadAverage}`);
  log('phase 1/2: Poststelle end to end');
  const ps = await benchPoststelle();
  const payloadBytes = config.payloadBytes ?? ps.envelopeBytes;
  log('phase 2/2: raw kafkajs baseline');
  const raw = await benchRawKafka(payloadBytes);
  clearTimeout(watchdog);

  const out = report(m, raw, ps, startedAt);
  console.log(out);
  console.log('');
  console.log(
    `Poststelle ÷ raw kafkajs: throughput ${ratio(ps.perSecond / raw.perSecond)}, ` +
      `p50 latency ${ratio(ps.loaded.endToEnd.p50 / raw.loaded.endToEnd.p50)}, ` +
      `p99 latency ${ratio(ps.loaded.endToEnd.p99 / raw.loaded.endToEnd.p99)}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] FAILED: ${describe(error)}`);
    killStack();
    process.exit(1);
  },
);
