import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ContractValidationError, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, RepairError, RepairErrorCode, infrastructureOutage, type DeadLetterFilter } from '@poststelle/messaging';
import { CurrentPrincipal, Permission, type Principal } from '../auth/principal';
import { ServiceException } from '../http/problem';
import { AuditQuery, DeadLetterQuery, DiscardRequest, ParkedQuery, ReplayManyRequest, ReplayOneRequest } from './repair.requests';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const STATUS: Record<RepairErrorCode, number> = {
  [RepairErrorCode.DeadLetterNotFound]: 404,
  [RepairErrorCode.DeadLetterNotOpen]: 409,
  [RepairErrorCode.ReplayLimitReached]: 409,
  [RepairErrorCode.ParkedRowNotFound]: 404,
  [RepairErrorCode.ParkedRowNotParked]: 409,
  [RepairErrorCode.ParkedRowHeldBehind]: 409,
};

/** Problem types of this controller, as `type` URIs under PROBLEM_BASE. */
function problemCode(code: RepairErrorCode): string {
  return code.toLowerCase().replace(/_/g, '-');
}

/**
 * Repair API of every service: dead letters of its consumer groups (list, inspect with the original headers and
 * payload, replay one or a filtered set into the original topic, discard with a reason) and outbox rows parked
 * because they cannot be published (list, inspect, retry, discard with a reason). Every action is audited with the
 * subject of the caller's access token (`sub`) and listed at `GET /v1/ops/repair-audit`.
 */
@Controller('v1/ops')
export class RepairController {
  constructor(private readonly messaging: MessagingRuntime) {}

  @Permission('ops:read')
  @Get('dead-letters')
  async listDeadLetters(@Query() query: Record<string, unknown>) {
    const q = validateContract(DeadLetterQuery, query);
    return { items: await this.messaging.repair.listDeadLetters(q) };
  }

  @Permission('ops:read')
  @Get('dead-letters/:id')
  async deadLetter(@Param('id') id: string) {
    return this.run(() => this.messaging.repair.deadLetter(this.uuid(id)));
  }

  @Permission('ops:repair')
  @Post('dead-letters/replay')
  @HttpCode(200)
  async replayMatching(@Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const actor = this.actor(principal);
    const req = validateContract(ReplayManyRequest, body);
    const filter: Omit<DeadLetterFilter, 'state'> = req.filter;
    if (!['topic', 'type', 'error', 'since', 'until'].some((k) => filter[k as keyof typeof filter] !== undefined)) {
      throw new ContractValidationError('ReplayManyRequest', [
        { field: 'filter', message: 'name at least one of topic, type, error, since, until (replay everything only on purpose)' },
      ]);
    }
    const outcomes = await this.run(() => this.messaging.repair.replayMatching(filter, actor, req.reason));
    return { replayed: outcomes.filter((o) => o.replayed).length, refused: outcomes.filter((o) => !o.replayed).length, outcomes };
  }

  @Permission('ops:repair')
  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  async replay(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const actor = this.actor(principal);
    const req = validateContract(ReplayOneRequest, body ?? {});
    return this.run(() => this.messaging.repair.replay(this.uuid(id), actor, req.reason));
  }

  @Permission('ops:repair')
  @Post('dead-letters/:id/discard')
  @HttpCode(200)
  async discard(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const actor = this.actor(principal);
    const req = validateContract(DiscardRequest, body);
    return this.run(() => this.messaging.repair.discardDeadLetter(this.uuid(id), actor, req.reason));
  }

  @Permission('ops:read')
  @Get('outbox/parked')
  async listParked(@Query() query: Record<string, unknown>) {
    const q = validateContract(ParkedQuery, query);
    return { items: await this.messaging.repair.listParked(q) };
  }

  @Permission('ops:read')
  @Get('outbox/parked/:seq')
  async parked(@Param('seq') seq: string) {
    return this.run(() => this.messaging.repair.parkedRow(seq));
  }

  @Permission('ops:repair')
  @Post('outbox/parked/:seq/retry')
  @HttpCode(200)
  async retryParked(@Param('seq') seq: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const actor = this.actor(principal);
    const req = validateContract(ReplayOneRequest, body ?? {});
    return this.run(() => this.messaging.repair.retryParked(seq, actor, req.reason));
  }

  @Permission('ops:repair')
  @Post('outbox/parked/:seq/discard')
  @HttpCode(200)
  async discardParked(@Param('seq') seq: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const actor = this.actor(principal);
    const req = validateContract(DiscardRequest, body);
    return this.run(() => this.messaging.repair.discardParked(seq, actor, req.reason));
  }

  @Permission('audit:read')
  @Get('repair-audit')
  async audit(@Query() query: Record<string, unknown>) {
    const q = validateContract(AuditQuery, query);
    return { items: await this.messaging.repair.auditTrail(q.limit) };
  }

  /** Who acts: the subject of the verified access token (the guard has set the principal on every such route). */
  private actor(principal: Principal | undefined): string {
    if (!principal) throw new ServiceException('unauthenticated', 401, 'this operation needs a bearer access token');
    return principal.subject;
  }

  private uuid(id: string): string {
    if (!UUID.test(id)) throw new RepairError(RepairErrorCode.DeadLetterNotFound, `no dead letter ${id.slice(0, 64)} in this service`);
    return id;
  }

  private async run<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof RepairError) throw new ServiceException(problemCode(error.code), STATUS[error.code], error.message);
      if (infrastructureOutage(error) === 'kafka') {
        throw new ServiceException('kafka-unavailable', 503, 'no Kafka broker accepted the replay; nothing was changed, try again');
      }
      throw error;
    }
  }
}
