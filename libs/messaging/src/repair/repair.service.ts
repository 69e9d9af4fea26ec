import { type IHeaders, type Producer } from 'kafkajs';
import { type DataSource } from 'typeorm';
import { MessageHeaders } from '@poststelle/contracts';
import { Logger, metrics } from '@poststelle/telemetry';
import { type TopicAdmin } from '../topic-admin';
import { DeadLetterRepository, type DeadLetter, type DeadLetterDetail, type DeadLetterFilter } from './dead-letter.repository';
import { ParkedOutboxRepository, type ParkedFilter, type ParkedRow } from './parked-outbox.repository';
import { RepairAuditRepository, type RepairAuditEntry } from './repair-audit.repository';

export enum RepairErrorCode {
  DeadLetterNotFound = 'DEAD_LETTER_NOT_FOUND',
  DeadLetterNotOpen = 'DEAD_LETTER_NOT_OPEN',
  ReplayLimitReached = 'REPLAY_LIMIT_REACHED',
  ParkedRowNotFound = 'PARKED_ROW_NOT_FOUND',
  ParkedRowNotParked = 'PARKED_ROW_NOT_PARKED',
  ParkedRowHeldBehind = 'PARKED_ROW_HELD_BEHIND',
}

export class RepairError extends Error {
  constructor(
    readonly code: RepairErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RepairError';
  }
}

export interface ReplayOutcome {
  id: string;
  replayed: boolean;
  /** Why it was not replayed (a refused replay in a filtered set). */
  refusal?: { code: RepairErrorCode; detail: string };
  /** Set when replayed: the topic and the replay's generation. */
  topic?: string;
  generation?: number;
}

/**
 * What an operator does about messages that did not go through: dead letters (inspect, replay into their original
 * topic, discard with a reason) and parked outbox rows (retry, discard with a reason). Every action is audited with
 * the actor. Replays are idempotent because every consumer's inbox keeps effects single (the message id stays);
 * a message replayed `maxReplays` times and dead-lettered again is not replayed any more (loop guard).
 */
export class RepairService {
  private readonly log = new Logger('Repair');
  private readonly deadLetters: DeadLetterRepository;
  private readonly parked: ParkedOutboxRepository;
  private readonly audit: RepairAuditRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly topics: TopicAdmin,
    private readonly options: { service: string; schema: string; maxReplays?: number; afterRequeue?: () => void },
  ) {
    this.deadLetters = new DeadLetterRepository(options.schema);
    this.parked = new ParkedOutboxRepository(options.schema);
    this.audit = new RepairAuditRepository(options.schema);
  }

  get maxReplays(): number {
    return this.options.maxReplays ?? 3;
  }

  listDeadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    return this.deadLetters.list(this.dataSource.manager, filter);
  }

  async deadLetter(id: string): Promise<Omit<DeadLetterDetail, 'value'>> {
    const found = await this.deadLetters.get(this.dataSource.manager, id);
    if (!found) throw new RepairError(RepairErrorCode.DeadLetterNotFound, `no dead letter ${id} in this service`);
    const { value: _value, ...rest } = found;
    return rest;
  }

  countOpenDeadLetters(): Promise<number> {
    return this.deadLetters.countOpen(this.dataSource.manager);
  }

  countParked(): Promise<number> {
    return this.parked.countParked(this.dataSource.manager);
  }

  /** Publishes the dead letter's original key, value and headers to its original topic, once. */
  async replay(id: string, actor: string, reason?: string): Promise<ReplayOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const d = await this.deadLetters.get(manager, id, true);
      if (!d) throw new RepairError(RepairErrorCode.DeadLetterNotFound, `no dead letter ${id} in this service`);
      if (d.state !== 'open') throw new RepairError(RepairErrorCode.DeadLetterNotOpen, `dead letter ${id} is already ${d.state}`);
      if (d.replayGeneration >= this.maxReplays) {
        throw new RepairError(
          RepairErrorCode.ReplayLimitReached,
          `message ${d.messageId ?? id} was already replayed ${d.replayGeneration} times and failed again; fix its cause or discard it`,
        );
      }
      const generation = d.replayGeneration + 1;
      const headers: IHeaders = {};
      for (const [name, value] of Object.entries(d.headers)) if (!name.startsWith('ps-dlq-')) headers[name] = value;
      headers[MessageHeaders.replayOf] = d.id;
      headers[MessageHeaders.replayGeneration] = String(generation);
      await this.topics.ensure([d.sourceTopic]);
      await this.producer.send({
        topic: this.topics.physical(d.sourceTopic),
        acks: -1,
        messages: [{ key: d.key ?? null, value: d.value, headers }],
      });
      await this.deadLetters.resolve(manager, id, 'replayed', actor, reason ?? `replayed into ${d.sourceTopic} (generation ${generation})`);
      await this.audit.append(manager, {
        actor,
        action: 'dead-letter.replayed',
        target: id,
        ...(reason ? { reason } : {}),
        detail: { topic: d.sourceTopic, messageId: d.messageId, generation, consumerGroup: d.consumerGroup },
      });
      metrics.repairActions.inc({ service: this.options.service, action: 'dead-letter.replayed' });
      this.log.info('dead letter replayed', { deadLetterId: id, topic: d.sourceTopic, messageId: d.messageId, generation });
      return { id, replayed: true, topic: d.sourceTopic, generation };
    });
  }

  /** Replays every open dead letter the filter selects (at most `limit`), each on its own; refusals are reported. */
  async replayMatching(filter: Omit<DeadLetterFilter, 'state'>, actor: string, reason?: string): Promise<ReplayOutcome[]> {
    const selected = await this.deadLetters.list(this.dataSource.manager, { ...filter, state: 'open' });
    const outcomes: ReplayOutcome[] = [];
    for (const d of selected) {
      try {
        outcomes.push(await this.replay(d.id, actor, reason));
      } catch (error) {
        if (!(error instanceof RepairError)) throw error;
        outcomes.push({ id: d.id, replayed: false, refusal: { code: error.code, detail: error.message } });
      }
    }
    return outcomes;
  }

  async discardDeadLetter(id: string, actor: string, reason: string): Promise<DeadLetter> {
    await this.dataSource.transaction(async (manager) => {
      const d = await this.deadLetters.get(manager, id, true);
      if (!d) throw new RepairError(RepairErrorCode.DeadLetterNotFound, `no dead letter ${id} in this service`);
      if (d.state !== 'open') throw new RepairError(RepairErrorCode.DeadLetterNotOpen, `dead letter ${id} is already ${d.state}`);
      await this.deadLetters.resolve(manager, id, 'discarded', actor, reason);
      await this.audit.append(manager, {
        actor,
        action: 'dead-letter.discarded',
        target: id,
        reason,
        detail: { topic: d.sourceTopic, messageId: d.messageId },
      });
    });
    metrics.repairActions.inc({ service: this.options.service, action: 'dead-letter.discarded' });
    return this.deadLetter(id);
  }

  listParked(filter: ParkedFilter): Promise<ParkedRow[]> {
    return this.parked.list(this.dataSource.manager, filter);
  }

  async parkedRow(seq: string): Promise<ParkedRow & { envelope: unknown; headers: Record<string, string> }> {
    const row = /^\d{1,18}$/.test(seq) ? await this.parked.get(this.dataSource.manager, seq) : undefined;
    if (!row) throw new RepairError(RepairErrorCode.ParkedRowNotFound, `no parked outbox row ${seq} in this service`);
    return row;
  }

  /** Puts a parked row, and the rows of its key parked behind it, back into the outbox in their order. */
  async retryParked(seq: string, actor: string, reason?: string): Promise<{ requeued: string[] }> {
    const requeued = await this.dataSource.transaction(async (manager) => {
      const chain = await this.lockParkedChain(manager, seq);
      await this.parked.requeue(manager, chain, actor);
      await this.audit.append(manager, {
        actor,
        action: 'outbox.retried',
        target: seq,
        ...(reason ? { reason } : {}),
        detail: { rows: chain },
      });
      return chain;
    });
    metrics.repairActions.inc({ service: this.options.service, action: 'outbox.retried' });
    this.options.afterRequeue?.();
    return { requeued };
  }

  /** Gives up on a parked row and the rows of its key parked behind it; they are kept, marked discarded. */
  async discardParked(seq: string, actor: string, reason: string): Promise<{ discarded: string[] }> {
    const discarded = await this.dataSource.transaction(async (manager) => {
      const chain = await this.lockParkedChain(manager, seq);
      await this.parked.discard(manager, chain, actor, reason);
      await this.audit.append(manager, { actor, action: 'outbox.discarded', target: seq, reason, detail: { rows: chain } });
      return chain;
    });
    metrics.repairActions.inc({ service: this.options.service, action: 'outbox.discarded' });
    return { discarded };
  }

  auditTrail(limit?: number): Promise<RepairAuditEntry[]> {
    return this.audit.list(this.dataSource.manager, limit);
  }

  private async lockParkedChain(manager: Parameters<ParkedOutboxRepository['lockChain']>[0], seq: string): Promise<string[]> {
    const row = /^\d{1,18}$/.test(seq) ? await this.parked.get(manager, seq) : undefined;
    if (!row) throw new RepairError(RepairErrorCode.ParkedRowNotFound, `no parked outbox row ${seq} in this service`);
    if (row.state !== 'parked') throw new RepairError(RepairErrorCode.ParkedRowNotParked, `outbox row ${seq} is already ${row.state}`);
    if (row.heldBehind !== undefined) {
      throw new RepairError(
        RepairErrorCode.ParkedRowHeldBehind,
        `outbox row ${seq} is held behind parked row ${row.heldBehind} of the same key; retry or discard that one (it takes this one along)`,
      );
    }
    return this.parked.lockChain(manager, seq);
  }
}
