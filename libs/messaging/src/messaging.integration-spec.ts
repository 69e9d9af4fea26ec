import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { openDatabase } from '@poststelle/persistence';
import { KafkaProbe, createTestDatabase, testInfra, testKafka, uniqueName, waitFor } from '@poststelle/testing';
import { buildEnvelope } from './envelope-codec';
import { NonRetriableError, MessagingErrorCode } from './errors';
import { CreateMessagingTables1732300000000 } from './messaging.migration';
import { MessagingRuntime } from './messaging-runtime';
import { CreateRepairTables1733500000000 } from './operations.migration';
import { MessageTooLargeError, addManyToOutbox, addToOutbox } from './outbox';
import { RepairErrorCode } from './repair/repair.service';

class EffectsTable1732300009999 implements MigrationInterface {
  name = 'EffectsTable1732300009999';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE it.effects (message_id uuid NOT NULL, value int NOT NULL)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE it.effects');
  }
}

describe('messaging core against a real Kafka broker and PostgreSQL', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let databaseName = '';
  const namespace = uniqueName('it').toLowerCase();
  const runtimes: MessagingRuntime[] = [];
  const probes: KafkaProbe[] = [];

  const runtime = (partitions = 1) => {
    const r = new MessagingRuntime(dataSource, {
      service: 'it',
      schema: 'it',
      kafka: { brokers: testInfra.kafkaBrokers, clientId: 'it', partitions, replicationFactor: 1, namespace },
      consumer: { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 100, maxOutageBackoffMs: 500 },
      relay: { idleMs: 50 },
    });
    runtimes.push(r);
    return r;
  };
  const probe = async (...logical: string[]) => {
    const p = await new KafkaProbe().start(logical.map((t) => `${namespace}.${t}`));
    probes.push(p);
    return p;
  };
  const effects = async () =>
    await dataSource.query<
      {
        messageId: string;
        value: number;
      }[]
    >('SELECT message_id AS "messageId", value FROM it.effects ORDER BY value');
  const send = async (topic: string, values: (string | Buffer | null)[], key = 'k1') => {
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: `${namespace}.${topic}`, messages: values.map((value) => ({ key, value })) });
    await producer.disconnect();
  };
  const envelope = (payload: unknown, id = randomUUID()) =>
    JSON.stringify(buildEnvelope({ id, type: 'test.event', payload, correlationId: 'c1', tenant: '120540000000' }));

  /** The i-th message of a test, keyed by one of `cases` cases. */
  const caseMessage = (topic: string, i: number, cases: number) => ({
    topic,
    key: `case-${i % cases}`,
    type: 'test.event',
    payload: { seq: i },
    correlationId: `case-${i % cases}`,
    tenant: '120540000000',
  });

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    databaseName = new URL(db.url).pathname.slice(1);
    dataSource = await openDatabase(
      { url: db.url, schema: 'it' },
      [],
      [CreateMessagingTables1732300000000, CreateRepairTables1733500000000, EffectsTable1732300009999],
    );
  }, 60000);

  afterEach(async () => {
    await Promise.all(probes.splice(0).map((p) => p.stop()));
    for (const r of runtimes.splice(0)) await r.stop();
    await dataSource.query('TRUNCATE it.effects, it.inbox, it.outbox, it.outbox_parked, it.dead_letters, it.repair_audit');
  }, 60000);

  afterAll(async () => {
    await dataSource.destroy();
    await drop();
  });

  /** A consumer whose handler records `payload.value`; `fail(value, attempt)` decides whether an attempt throws. */
  const recordingConsumer = (
    topic: string,
    fail: (value: number, attempt: number) => Error | undefined = () => undefined,
    partitions = 1,
  ) => {
    const r = runtime(partitions);
    const attempts = new Map<string, number>();
    r.addConsumer({
      groupId: uniqueName('group'),
      handlers: {
        [topic]: async ({ manager, envelope: e }) => {
          const value = (e.payload as { value?: unknown }).value;
          if (typeof value !== 'number') throw new NonRetriableError(MessagingErrorCode.InvalidPayload, 'payload.value must be a number');
          const attempt = (attempts.get(e.id) ?? 0) + 1;
          attempts.set(e.id, attempt);
          await manager.query('INSERT INTO it.effects (message_id, value) VALUES ($1, $2)', [e.id, value]);
          const error = fail(value, attempt);
          if (error) throw error;
        },
      },
    });
    return r;
  };

  it('dead-letters a poison message with its error and keeps the partition flowing', async () => {
    const topic = uniqueName('orders');
    const r = recordingConsumer(topic, (value) => (value === 4 ? new Error('downstream rejected value 4') : undefined));
    await r.start();
    const dlq = r['consumers'][0]!.dlqTopic;
    const dlqProbe = await probe(dlq);
    await send(topic, [
      envelope({ value: 1 }),
      '{not json',
      envelope({ value: 2 }),
      envelope({ value: 'three' }),
      envelope({ value: 4 }),
      envelope({ value: 5 }),
    ]);

    const dead = await dlqProbe.waitForCount(`${namespace}.${dlq}`, 3);
    await waitFor('messages behind the poison to be processed', async () => (await effects()).some((e) => e.value === 5));
    expect((await effects()).map((e) => e.value)).toEqual([1, 2, 5]);

    const byValue = (v: string) => dead.find((m) => m.value!.includes(v))!;
    expect(dead.find((m) => m.value === '{not json')!.headers['ps-dlq-error']).toMatch(/not JSON/);
    expect(byValue('"three"').headers['ps-dlq-error']).toBe('payload.value must be a number');
    expect(byValue('"three"').headers['ps-dlq-attempts']).toBe('1');
    const exhausted = byValue('"value":4');
    expect(exhausted.headers['ps-dlq-error']).toBe('downstream rejected value 4');
    expect(exhausted.headers['ps-dlq-attempts']).toBe('3');
    expect(exhausted.headers['ps-dlq-source-topic']).toBe(topic);
    expect(exhausted.headers['ps-dlq-source-offset']).toBe('4');
    expect(exhausted.key).toBe('k1');
  }, 60000);

  it('retries a transient failure and applies the effect exactly once', async () => {
    const topic = uniqueName('transient');
    const r = recordingConsumer(topic, (_v, attempt) => (attempt < 3 ? new Error('database hiccup') : undefined));
    await r.start();
    await send(topic, [envelope({ value: 7 })]);
    await waitFor('effect', async () => (await effects()).length === 1);
    await new Promise((res) => setTimeout(res, 300));
    expect(await effects()).toEqual([{ messageId: expect.any(String) as string, value: 7 }]);
  }, 60000);

  it('skips a redelivered message (same id) without a second side effect', async () => {
    const topic = uniqueName('redelivery');
    const r = recordingConsumer(topic);
    await r.start();
    const id = randomUUID();
    await send(topic, [envelope({ value: 1 }, id), envelope({ value: 1 }, id), envelope({ value: 2 })]);
    await waitFor('both distinct messages', async () => (await effects()).length === 2);
    await new Promise((res) => setTimeout(res, 300));
    expect((await effects()).filter((e) => e.messageId === id)).toHaveLength(1);
    const [{ n }] = await dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM it.inbox');
    expect(n).toBe(2);
  }, 60000);

  it('publishes outbox rows in commit order per key, with the envelope and headers', async () => {
    const topic = uniqueName('outbox');
    const out = await probe(topic);
    const r = runtime();
    await r.start();
    for (let i = 0; i < 30; i += 1) {
      await dataSource.transaction((m) => addToOutbox(m, caseMessage(topic, i, 3)));
      r.relay.nudge();
    }
    const got = await out.waitForCount(`${namespace}.${topic}`, 30);
    for (const key of ['case-0', 'case-1', 'case-2']) {
      const seqs = got.filter((m) => m.key === key).map((m) => (JSON.parse(m.value!) as { payload: { seq: number } }).payload.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs).toHaveLength(10);
    }
    expect(got[0]!.headers['ps-type']).toBe('test.event');
    expect(got[0]!.headers['ps-message-id']).toBe((JSON.parse(got[0]!.value!) as { id: string }).id);
    const [{ n }] = await dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM it.outbox');
    expect(n).toBe(0);
  }, 60000);

  it('drains committed outbox rows on graceful stop', async () => {
    const topic = uniqueName('drain');
    const out = await probe(topic);
    const r = runtime();
    await r.start();
    await dataSource.transaction(async (m) => {
      for (let i = 0; i < 20; i += 1)
        await addToOutbox(m, { topic, key: 'k', type: 'test.event', payload: { i }, correlationId: 'k', tenant: '120540000000' });
    });
    await r.stop();
    runtimes.splice(runtimes.indexOf(r), 1);
    await out.waitForCount(`${namespace}.${topic}`, 20, 10000);
  }, 60000);

  it('adds many messages in one statement: each published once, in the given order per key, with envelope and headers', async () => {
    const topic = uniqueName('outbox-many');
    const out = await probe(topic);
    const r = runtime();
    await r.start();
    const messages = Array.from({ length: 40 }, (_, i) => caseMessage(topic, i, 4));
    const envelopes = await dataSource.transaction((m) => addManyToOutbox(m, messages));
    expect(envelopes.map((e) => (e.payload as { seq: number }).seq)).toEqual(messages.map((_, i) => i));
    expect(await dataSource.transaction((m) => addManyToOutbox(m, []))).toEqual([]);
    r.relay.nudge();
    const got = await out.waitForCount(`${namespace}.${topic}`, 40);
    expect(got).toHaveLength(40);
    for (const key of ['case-0', 'case-1', 'case-2', 'case-3']) {
      const seqs = got.filter((m) => m.key === key).map((m) => (JSON.parse(m.value!) as { payload: { seq: number } }).payload.seq);
      expect(seqs).toEqual(messages.map((_, i) => i).filter((i) => i % 4 === Number(key.slice(-1))));
    }
    const ids = got.map((m) => m.headers['ps-message-id']);
    expect(new Set(ids)).toEqual(new Set(envelopes.map((e) => e.id)));
    expect(got.every((m) => m.headers['ps-type'] === 'test.event')).toBe(true);
  }, 60000);

  it('refuses a batch with one message above the bound and adds none of it', async () => {
    runtime();
    const small = { topic: 'x', key: 'k', type: 'test.event', payload: { blob: 'ok' }, correlationId: 'k', tenant: '120540000000' };
    await expect(
      dataSource.transaction((m) => addManyToOutbox(m, [small, { ...small, payload: { blob: 'x'.repeat(600 * 1024) } }])),
    ).rejects.toBeInstanceOf(MessageTooLargeError);
    const [{ n }] = await dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM it.outbox');
    expect(n).toBe(0);
  });

  it('pauses during a database outage and retries without limit: nothing dead-lettered, every effect once', async () => {
    const topic = uniqueName('outage');
    const r = recordingConsumer(topic, () => undefined, 3);
    await r.start();
    const consumer = r['consumers'][0]!;
    const dlqProbe = await probe(consumer.dlqTopic);
    // A second connection closes the database for new connections and ends the existing ones, as a restart does.
    const admin = new Client({ connectionString: testInfra.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        databaseName,
      ]);
      const values = Array.from({ length: 30 }, (_, i) => i + 1);
      for (const [i, v] of values.entries()) await send(topic, [envelope({ value: v })], `key-${i % 5}`);
      await waitFor('the consumer to report the outage', () => Promise.resolve(consumer.status().paused?.cause === 'database'), 20000);
      expect((await r.health()).problems.map((p) => p.code)).toContain('consumer-paused');
      // Far longer than maxAttempts × backoff: before, these messages were dead-lettered within a few seconds.
      await new Promise((res) => setTimeout(res, 4000));
    } finally {
      await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await waitFor('all 30 effects', async () => (await effects()).length >= 30, 60000, 200);
    await new Promise((res) => setTimeout(res, 500));
    expect((await effects()).map((e) => e.value)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(consumer.status().paused).toBeUndefined();
    expect(dlqProbe.on(`${namespace}.${consumer.dlqTopic}`)).toEqual([]);
    const [{ n }] = await dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM it.dead_letters');
    expect(n).toBe(0);
  }, 90000);

  it('replays a dead letter once its cause is fixed: the effect happens exactly once; a second replay is refused', async () => {
    const topic = uniqueName('replay');
    let fixed = false;
    const r = recordingConsumer(topic, (value) => (value === 13 && !fixed ? new Error('no tariff for value 13 yet') : undefined));
    await r.start();
    const id = randomUUID();
    await send(topic, [envelope({ value: 13 }, id), envelope({ value: 14 })]);
    await waitFor('the message behind the poison', async () => (await effects()).some((e) => e.value === 14));
    const [dead] = await waitFor('the dead letter record', async () => {
      const list = await r.repair.listDeadLetters({ state: 'open', topic });
      return list.length === 1 ? list : undefined;
    });
    expect(dead).toMatchObject({
      messageId: id,
      eventType: 'test.event',
      errorCode: 'HANDLER_FAILED',
      attempts: 3,
      sourceTopic: topic,
      key: 'k1',
    });
    expect(dead!.error).toBe('no tariff for value 13 yet');
    const detail = await r.repair.deadLetter(dead!.id);
    expect(detail.payload).toMatchObject({ id, payload: { value: 13 } });
    expect(detail.headers['ps-message-id']).toBeUndefined(); // sent without headers by the test producer
    expect((await r.health()).problems.map((p) => p.code)).toContain('dead-letters-open');

    fixed = true;
    const outcome = await r.repair.replay(dead!.id, 'operator-1', 'tariff 13 configured');
    expect(outcome).toMatchObject({ replayed: true, topic, generation: 1 });
    await waitFor('the replayed effect', async () => (await effects()).some((e) => e.value === 13));
    await expect(r.repair.replay(dead!.id, 'operator-1')).rejects.toMatchObject({ code: RepairErrorCode.DeadLetterNotOpen });
    await new Promise((res) => setTimeout(res, 500));
    expect((await effects()).filter((e) => e.messageId === id)).toHaveLength(1);
    const audit = await r.repair.auditTrail();
    expect(audit[0]).toMatchObject({
      actor: 'operator-1',
      action: 'dead-letter.replayed',
      target: dead!.id,
      reason: 'tariff 13 configured',
    });
    expect((await r.health()).problems.map((p) => p.code)).not.toContain('dead-letters-open');
  }, 60000);

  it('a replay of a message that was handled meanwhile changes nothing (the inbox keeps the effect single)', async () => {
    const topic = uniqueName('replay-dup');
    let fixed = false;
    const r = recordingConsumer(topic, (value) => (value === 21 && !fixed ? new Error('not yet') : undefined));
    await r.start();
    const id = randomUUID();
    await send(topic, [envelope({ value: 21 }, id)]);
    const [dead] = await waitFor('the dead letter', async () => {
      const list = await r.repair.listDeadLetters({ topic });
      return list.length === 1 ? list : undefined;
    });
    fixed = true;
    await send(topic, [envelope({ value: 21 }, id)]); // the producer redelivers the same message on its own
    await waitFor('the effect', async () => (await effects()).length === 1);
    await r.repair.replay(dead!.id, 'operator-1');
    await send(topic, [envelope({ value: 22 })]);
    await waitFor('the next message', async () => (await effects()).length === 2);
    expect((await effects()).filter((e) => e.messageId === id)).toHaveLength(1);
  }, 60000);

  it('refuses replays beyond the limit when a replayed message keeps failing (loop guard)', async () => {
    const topic = uniqueName('replay-loop');
    const r = recordingConsumer(topic, (value) => (value === 99 ? new Error('always fails') : undefined));
    await r.start();
    await send(topic, [envelope({ value: 99 })]);
    for (let generation = 0; generation <= r.repair.maxReplays; generation += 1) {
      const [dead] = await waitFor(`dead letter of generation ${generation}`, async () => {
        const list = await r.repair.listDeadLetters({ topic, state: 'open' });
        return list.length === 1 ? list : undefined;
      });
      expect(dead!.replayGeneration).toBe(generation);
      if (generation < r.repair.maxReplays) await r.repair.replay(dead!.id, 'operator-1');
      else await expect(r.repair.replay(dead!.id, 'operator-1')).rejects.toMatchObject({ code: RepairErrorCode.ReplayLimitReached });
    }
  }, 90000);

  it('refuses to build an envelope above the bound', async () => {
    runtime();
    await expect(
      dataSource.transaction((m) =>
        addToOutbox(m, {
          topic: 'x',
          key: 'k',
          type: 'test.event',
          payload: { blob: 'x'.repeat(600 * 1024) },
          correlationId: 'k',
          tenant: '120540000000',
        }),
      ),
    ).rejects.toBeInstanceOf(MessageTooLargeError);
    const [{ n }] = await dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM it.outbox');
    expect(n).toBe(0);
  });

  it('parks a row the broker refuses, and the rows of its key behind it, while everything else flows; retry publishes them in order', async () => {
    const topic = uniqueName('parking');
    const physical = `${namespace}.${topic}`;
    // The topic exists with a smaller limit than our bound, as when an operator created it by hand.
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: physical, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '65536' }] }],
    });
    const out = await probe(topic);
    const r = runtime();
    await r.start();
    const add = (key: string, payload: unknown) =>
      dataSource.transaction((m) =>
        addToOutbox(m, { topic, key, type: 'test.event', payload, correlationId: key, tenant: '120540000000' }),
      );
    await add('big-case', { n: 1, text: 'y'.repeat(100 * 1024) });
    await add('big-case', { n: 2 });
    for (let i = 0; i < 10; i += 1) await add(`case-${i}`, { n: 100 + i });
    r.relay.nudge();
    await out.waitForCount(physical, 10);
    const parked = await waitFor('two parked rows', async () => {
      const rows = await r.repair.listParked({ state: 'parked' });
      return rows.length === 2 ? rows : undefined;
    });
    expect(parked[0]).toMatchObject({ key: 'big-case', reasonCode: 'REFUSED_BY_BROKER', topic });
    expect(parked[0]!.reason).toMatch(/MESSAGE_TOO_LARGE/);
    expect(parked[1]).toMatchObject({ key: 'big-case', reasonCode: 'HELD_BEHIND_PARKED_ROW', heldBehind: parked[0]!.seq });
    expect((await r.health()).problems.map((p) => p.code)).toContain('outbox-parked');
    // Rows of the key that arrive later stay behind too, in order.
    await add('big-case', { n: 3 });
    r.relay.nudge();
    await waitFor('the third row parked', async () => (await r.repair.listParked({ key: 'big-case', state: 'parked' })).length === 3);
    await expect(r.repair.retryParked(parked[1]!.seq, 'operator-1')).rejects.toMatchObject({ code: RepairErrorCode.ParkedRowHeldBehind });

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2, name: physical, configEntries: [{ name: 'max.message.bytes', value: '1048576' }] }],
    });
    await admin.disconnect();
    const { requeued } = await r.repair.retryParked(parked[0]!.seq, 'operator-1', 'topic limit raised');
    expect(requeued).toHaveLength(3);
    const all = await out.waitForCount(physical, 13);
    const big = all.filter((m) => m.key === 'big-case').map((m) => (JSON.parse(m.value!) as { payload: { n: number } }).payload.n);
    expect(big).toEqual([1, 2, 3]);
    expect(await r.repair.listParked({ state: 'parked' })).toEqual([]);
    expect((await r.repair.auditTrail())[0]).toMatchObject({ action: 'outbox.retried', actor: 'operator-1', reason: 'topic limit raised' });
  }, 90000);

  it('subscribes by topic pattern: a topic created later joins on refresh or on the next rescan; other namespaces stay out', async () => {
    const tag = uniqueName('pattern');
    const topic = (name: string) => `${tag}.${name}.in`;
    const r = runtime();
    const seen: string[] = [];
    const consumer = r.addConsumer({
      groupId: uniqueName('group'),
      handlers: {},
      topicPattern: {
        pattern: new RegExp(`^${tag}\\.[a-z]+\\.in$`),
        rescanMs: 500,
        handler: async ({ manager, envelope: e, topic: t }) => {
          seen.push(t);
          await manager.query('INSERT INTO it.effects (message_id, value) VALUES ($1, $2)', [e.id, (e.payload as { value: number }).value]);
        },
      },
    });
    await r.topics.ensure([topic('first')]);
    // The same logical name without this namespace's prefix belongs to someone else.
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topic('foreign'), numPartitions: 1, replicationFactor: 1 }] });
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: topic('foreign'), messages: [{ key: 'k1', value: envelope({ value: 99 }) }] });
    await producer.disconnect();
    await r.start();
    await send(topic('first'), [envelope({ value: 1 })]);
    // Joining the group and each resubscription's rebalance take seconds on a loaded 2-core machine.
    await waitFor('message on the topic that existed at start', async () => (await effects()).length === 1, 40000);

    await r.topics.ensure([topic('second')]);
    await send(topic('second'), [envelope({ value: 2 })]);
    expect(await consumer.refreshSubscription()).toBe(true);
    await waitFor('message on the topic announced by refresh', async () => (await effects()).length === 2, 40000);

    await r.topics.ensure([topic('third')]);
    await send(topic('third'), [envelope({ value: 3 })]);
    await waitFor('message on the topic found by the rescan', async () => (await effects()).length === 3, 40000);
    expect(await consumer.refreshSubscription()).toBe(false);
    expect((await effects()).map((e) => e.value)).toEqual([1, 2, 3]);
    expect(seen).toEqual([topic('first'), topic('second'), topic('third')]);
    await admin.deleteTopics({ topics: [topic('foreign')] });
    await admin.disconnect();
  }, 180000);
});
