import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { waitFor } from './env';
import { portalSubmission } from './factories';
import { testKafka, type KafkaProbe } from './kafka-probe';
import { type Stack } from './stack';

/** The tables in which each service records its one side effect per case (the column `case_id` in each). */
export const SIDE_EFFECT_TABLES = [
  'intake.cases',
  'routing.routing_decisions',
  'payment.payments',
  'erechnung.fee_records',
  'archive.e_files',
] as const;

/** Intake answered with an error that a retry cannot fix (4xx other than 408, 409, 429). */
class SubmissionRefused extends Error {}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface CaseLoadOptions {
  count: number;
  /** Parallel submitters (default 16). */
  concurrency?: number;
  submission?: () => Record<string, unknown>;
  /** A case not accepted within this time fails the load (default 4 minutes). */
  caseTimeoutMs?: number;
}

/**
 * Submits cases to intake as a portal does: each with its own Idempotency-Key, retried with the same key after a
 * connection error, 5xx, 408, 409 or 429 until intake accepts it, spread over every intake instance. A case counts
 * once accepted; any other answer fails the load.
 */
export class CaseLoad {
  readonly caseIds = new Set<string>();
  /** Attempts that failed and were retried, by cause (`503`, `ECONNREFUSED`, ...). */
  readonly retried = new Map<string, number>();
  /** Bodies of 500 answers (the first ones), to show what failed. */
  readonly serverErrors: string[] = [];
  /** Accepted cases per intake instance (base URL). */
  readonly acceptedBy = new Map<string, number>();
  durationMs = 0;
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  constructor(
    private readonly stack: Stack,
    private readonly options: CaseLoadOptions,
  ) {}

  get accepted(): number {
    return this.caseIds.size;
  }

  get retriedTotal(): number {
    return [...this.retried.values()].reduce((a, b) => a + b, 0);
  }

  /** Counts cases that entered another way (e.g. submitViaKafka) as part of this load. */
  add(caseIds: Iterable<string>): void {
    for (const id of caseIds) this.accept(id);
  }

  /** Resolves once `n` cases are accepted. */
  reached(n: number): Promise<void> {
    if (this.accepted >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async run(): Promise<Set<string>> {
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < this.options.count) {
        const index = next;
        next += 1;
        await this.submitOne(index);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 16 }, worker));
    this.durationMs = Date.now() - started;
    return this.caseIds;
  }

  private async submitOne(index: number): Promise<void> {
    const key = randomUUID();
    const body = JSON.stringify((this.options.submission ?? portalSubmission)());
    const deadline = Date.now() + (this.options.caseTimeoutMs ?? 240000);
    for (let attempt = 0; ; attempt += 1) {
      const intakes = this.stack.instancesOf('intake');
      const url = intakes[(index + attempt) % intakes.length]!.baseUrl;
      let cause: string;
      try {
        const res = await fetch(`${url}/v1/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(await this.stack.authorization('channel-demo')) },
          body,
          signal: AbortSignal.timeout(30000),
        });
        const text = await res.text();
        if (res.status === 202 || res.status === 200) {
          this.accept((JSON.parse(text) as { caseId: string }).caseId);
          this.acceptedBy.set(url, (this.acceptedBy.get(url) ?? 0) + 1);
          return;
        }
        if (res.status < 500 && ![408, 409, 429].includes(res.status)) {
          throw new SubmissionRefused(`case ${index} refused with ${res.status}: ${text.slice(0, 500)}`);
        }
        // A server error counts by status and problem type, so a test can tell "try again" (503) from a failure.
        cause = String(res.status);
        if (res.status === 500 && this.serverErrors.length < 20) this.serverErrors.push(text.slice(0, 300));
      } catch (error) {
        if (error instanceof SubmissionRefused) throw error;
        cause = causeOf(error);
      }
      this.retried.set(cause, (this.retried.get(cause) ?? 0) + 1);
      if (Date.now() > deadline) throw new Error(`case ${index} not accepted in time; last failure: ${cause}`);
      await sleep(100 * Math.min(attempt + 1, 10));
    }
  }

  private accept(caseId: string): void {
    this.caseIds.add(caseId);
    for (const w of this.waiters.filter((x) => this.accepted >= x.n)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }
}

/** `ECONNREFUSED`, `TimeoutError`, ... (duck-typed: fetch's errors come from another realm than jest's `Error`). */
/**
 * Publishes `count` valid submissions on `intake.submissions.v1` as a channel adapter does (needs only Kafka, so it
 * works while the database is down). Returns their idempotency keys; see caseIdsOfKafkaSubmissions.
 */
export async function submitViaKafka(
  stack: Stack,
  count: number,
  submission: () => Record<string, unknown> = portalSubmission,
): Promise<string[]> {
  const producer = testKafka(stack.kafkaBrokers).producer();
  await producer.connect();
  try {
    const keys = Array.from({ length: count }, () => randomUUID());
    await producer.send({
      topic: stack.topic('intake.submissions.v1'),
      messages: keys.map((idempotencyKey) => {
        const body = submission();
        const envelope = {
          id: randomUUID(),
          type: 'submission.submitted',
          version: 1,
          occurredAt: new Date().toISOString(),
          correlationId: idempotencyKey,
          tenant: (body['tenant'] as { ars?: string } | undefined)?.ars ?? '',
          payload: { idempotencyKey, submission: body },
        };
        return { key: idempotencyKey, value: JSON.stringify(envelope) };
      }),
    });
    return keys;
  } finally {
    await producer.disconnect();
  }
}

/**
 * Waits until intake has turned every submission published by submitViaKafka into a case; returns the case ids found
 * by then (fewer than `keys` if some never became a case, e.g. because they were dead-lettered).
 */
export async function caseIdsOfKafkaSubmissions(stack: Stack, keys: string[], timeoutMs = 90000): Promise<string[]> {
  const db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const { rows } = await db.query<{ case_id: string }>(
        `SELECT case_id FROM intake.submissions WHERE idempotency_key = ANY($1::text[])`,
        [keys.map((k) => `kafka:${k}`)],
      );
      if (rows.length >= keys.length || Date.now() > deadline) return rows.map((r) => r.case_id);
      await sleep(500);
    }
  } finally {
    await db.end();
  }
}

function causeOf(error: unknown): string {
  const e = error as { name?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.name === 'string' ? e.name : String(error);
}

export interface DeliveryReport {
  cases: number;
  /** Messages on the procedure topic, counting republications of the same message id. */
  physicalMessages: number;
  /** Dead letters per dead-letter topic of the stack's namespace (only non-empty topics). */
  deadLetters: Record<string, number>;
  /** Everything that is not exactly once, in words; empty when nothing was lost and nothing repeated. */
  violations: string[];
}

export interface VerifyOptions {
  stack: Stack;
  /** Reads the procedure topic (started before the load). */
  probe: KafkaProbe;
  procedureId: string;
  caseIds: Set<string>;
  /** How long cases may take to get through after the load (default 3 minutes). */
  timeoutMs?: number;
  /** Extra wait after everything arrived, for redeliveries to show up (default 3 s). */
  settleMs?: number;
}

/**
 * Waits for every accepted case to get through, then checks it arrived exactly once: on the procedure topic under
 * one message id, one row per case in each service's side-effect table, no timeline event twice, nothing in any
 * dead-letter topic of the stack's namespace, and every service process still running.
 */
export async function verifyDelivery(options: VerifyOptions): Promise<DeliveryReport> {
  const { stack, probe, caseIds } = options;
  const timeoutMs = options.timeoutMs ?? 180000;
  const violations: string[] = [];
  const topic = stack.topic(`procedure.${options.procedureId}.cases.v1`);
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1000, deadline - Date.now());

  const keysOnTopic = () => new Set(probe.on(topic).map((m) => m.key));
  await waitFor(
    `all ${caseIds.size} cases on ${topic}`,
    () => Promise.resolve([...caseIds].every((id) => keysOnTopic().has(id))),
    remaining(),
    500,
  ).catch((error: Error) => violations.push(error.message));

  const db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const ids = [...caseIds];
    for (const table of SIDE_EFFECT_TABLES) {
      await waitFor(
        `${table} to hold every case`,
        async () =>
          (await db.query<{ n: number }>(`SELECT count(DISTINCT case_id)::int AS n FROM ${table} WHERE case_id = ANY($1::uuid[])`, [ids]))
            .rows[0]!.n >= ids.length,
        remaining(),
        500,
      ).catch((error: Error) => violations.push(error.message));
    }
    await sleep(options.settleMs ?? 3000);

    const messageIds = new Map<string, Set<string>>();
    for (const m of probe.on(topic)) {
      const set = messageIds.get(m.key ?? '') ?? new Set<string>();
      set.add((JSON.parse(m.value ?? '{}') as { id?: string }).id ?? '');
      messageIds.set(m.key ?? '', set);
    }
    const missing = ids.filter((id) => !messageIds.has(id));
    if (missing.length) violations.push(`${missing.length} case(s) never reached ${topic}, e.g. ${missing.slice(0, 3).join(', ')}`);
    const foreign = [...messageIds.keys()].filter((k) => !caseIds.has(k));
    if (foreign.length)
      violations.push(`${foreign.length} message key(s) on ${topic} that are no accepted case, e.g. ${foreign.slice(0, 3).join(', ')}`);
    const twice = [...messageIds.entries()].filter(([, set]) => set.size !== 1);
    if (twice.length) violations.push(`${twice.length} case(s) on ${topic} under more than one message id, e.g. ${twice[0]![0]}`);

    for (const table of SIDE_EFFECT_TABLES) {
      const { rows } = await db.query<{ n: number; cases: number; ours: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT case_id)::int AS cases,
                count(DISTINCT case_id) FILTER (WHERE case_id = ANY($1::uuid[]))::int AS ours FROM ${table}`,
        [ids],
      );
      const r = rows[0]!;
      if (r.n !== ids.length || r.cases !== ids.length || r.ours !== ids.length) {
        violations.push(`${table}: ${r.n} row(s) for ${r.cases} case(s), ${r.ours} of the ${ids.length} accepted (want one row per case)`);
      }
    }
    const { rows: repeated } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM intake.case_timeline GROUP BY case_id, event_type HAVING count(*) > 1) t`,
    );
    if (repeated[0]!.n > 0) violations.push(`intake.case_timeline: ${repeated[0]!.n} (case, event type) pair(s) recorded more than once`);
  } finally {
    await db.end();
  }

  const deadLetters = await deadLetterCounts(stack);
  for (const [dlq, n] of Object.entries(deadLetters)) {
    const samples = await readDeadLetterErrors(stack, dlq, Math.min(n, 3));
    violations.push(`${n} dead letter(s) on ${dlq}: ${samples.join(' | ')}`);
  }
  for (const p of stack.processes()) if (!p.running) violations.push(`${p.label} is not running (exit ${p.exitCode})`);

  return { cases: caseIds.size, physicalMessages: probe.on(topic).length, deadLetters, violations };
}

/** Messages on every dead-letter topic (`dlq.<group>.v1`) of the stack's namespace, non-empty topics only. */
export async function deadLetterCounts(stack: Stack): Promise<Record<string, number>> {
  const admin = testKafka(stack.kafkaBrokers).admin();
  await admin.connect();
  try {
    const prefix = stack.topic('dlq.');
    const out: Record<string, number> = {};
    for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort()) {
      const n = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      if (n > 0) out[topic] = n;
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** The `ps-dlq-error` header of the first `n` dead letters on a topic. */
async function readDeadLetterErrors(stack: Stack, topic: string, n: number): Promise<string[]> {
  const consumer = testKafka(stack.kafkaBrokers).consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const errors: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        if (errors.length < n) errors.push(message.headers?.['ps-dlq-error']?.toString().slice(0, 300) ?? '(no ps-dlq-error header)');
        return Promise.resolve();
      },
    });
    await waitFor(`${n} dead letter(s) from ${topic}`, () => Promise.resolve(errors.length >= n), 15000, 100).catch(() => undefined);
  } finally {
    await consumer.disconnect();
  }
  return errors;
}

export interface LoadAndVerifyOptions extends CaseLoadOptions {
  /** Printed with the timings. */
  label: string;
  stack: Stack;
  probe: KafkaProbe;
  procedureId: string;
  /** Runs alongside the load (kill, stop, restart ...); the load keeps going until every case is accepted. */
  fault?: (load: CaseLoad) => Promise<void>;
  timeoutMs?: number;
}

export interface LoadAndVerifyReport extends DeliveryReport {
  loadMs: number;
  totalMs: number;
  retried: Record<string, number>;
  /** Bodies of the first 500 answers, if any. */
  serverErrors: string[];
  /** Accepted cases per intake instance (base URL). */
  acceptedBy: Record<string, number>;
}

/** Submits `count` cases while `fault` runs, then verifies exactly-once delivery (see verifyDelivery) and prints timings. */
export async function loadAndVerify(options: LoadAndVerifyOptions): Promise<LoadAndVerifyReport> {
  const started = Date.now();
  const load = new CaseLoad(options.stack, options);
  const [loaded, faulted] = await Promise.allSettled([load.run(), options.fault?.(load) ?? Promise.resolve()]);
  if (faulted.status === 'rejected') throw faulted.reason;
  if (loaded.status === 'rejected') throw loaded.reason;
  const loadedAt = Date.now();
  const report = await verifyDelivery({
    stack: options.stack,
    probe: options.probe,
    procedureId: options.procedureId,
    caseIds: load.caseIds,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const totalMs = Date.now() - started;
  const retried = Object.fromEntries(load.retried);
  process.stdout.write(
    `${options.label}: ${report.cases} cases, ${report.physicalMessages} physical messages on the procedure topic ` +
      `(${report.physicalMessages - report.cases} at-least-once republications), load ${(load.durationMs / 1000).toFixed(1)} s, ` +
      `drain and verify ${((Date.now() - loadedAt) / 1000).toFixed(1)} s, total ${(totalMs / 1000).toFixed(1)} s, retried submissions ${JSON.stringify(retried)}, ` +
      `dead letters ${JSON.stringify(report.deadLetters)}, violations ${report.violations.length}\n`,
  );
  if (report.violations.length > 0) {
    // For the diagnosis: what each service said last.
    for (const p of options.stack.processes()) process.stdout.write(`--- ${p.label} (last output) ---\n${p.logs().slice(-2500)}\n`);
  }
  return {
    ...report,
    loadMs: load.durationMs,
    totalMs,
    retried,
    serverErrors: load.serverErrors,
    acceptedBy: Object.fromEntries(load.acceptedBy),
  };
}
