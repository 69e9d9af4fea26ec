import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, Permission, type Principal } from '../auth/principal';
import { tenantScopeOf } from '../auth/tenant-scope';
import { QueueBoard } from './queue-board';

/** `GET /v1/queues/summary`: the service's work queues, counted within the caller's tenants. */
@Controller('v1/queues')
export class QueuesController {
  constructor(private readonly board: QueueBoard) {}

  @Permission('queue:work')
  @Get('summary')
  summary(@CurrentPrincipal() principal: Principal | undefined) {
    return this.board.summary(tenantScopeOf(principal));
  }
}
