import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { procedureStatusTopic, procedureTopic } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { Logger, describeError } from '@poststelle/telemetry';
import { CaseStatusConsumer } from '../status/case-status.consumer';
import { ProceduresRepository } from './procedures.repository';

/**
 * Each procedure has two topics: `procedure.<procedureId>.cases.v1` (routing writes, the back office reads) and
 * `procedure.<procedureId>.status.v1` (the back office writes, routing reads). Routing creates both when a procedure
 * is registered, and at start-up for every registered procedure (so procedures registered before the status topics
 * existed get theirs), then has the status consumer pick the new status topics up right away.
 */
@Injectable()
export class ProcedureTopics implements OnApplicationBootstrap {
  private readonly log = new Logger('ProcedureTopics');

  constructor(
    private readonly procedures: ProceduresRepository,
    private readonly messaging: MessagingRuntime,
    private readonly statusConsumer: CaseStatusConsumer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure(await this.procedures.allIds());
  }

  async ensure(procedureIds: string[]): Promise<void> {
    if (procedureIds.length === 0) return;
    await this.messaging.topics.ensure(procedureIds.flatMap((id) => [procedureTopic(id), procedureStatusTopic(id)]));
    this.log.debug('procedure topics ready', { procedures: procedureIds.length });
    // Not awaited: re-joining the group takes seconds, and nothing is missed meanwhile (a new topic is read from its
    // beginning); if it fails, the periodic rescan tries again.
    void this.statusConsumer
      .refreshSubscription()
      .catch((error: unknown) =>
        this.log.warn('status topic subscription not refreshed; the next rescan tries again', describeError(error)),
      );
  }
}
