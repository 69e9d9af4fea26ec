import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { type Response } from 'express';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { ARS, validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal, queuePageWithHeader, type RawBodyRequest } from '@poststelle/platform';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { actsFor, tenantPrefixes } from '../domain/tenant-scope';
import { ClerkQueueUseCase } from './clerk-queue.use-case';
import { ImportStatementUseCase } from './import-statement.use-case';
import { StatementsRepository } from './statements.repository';

export class AssignRequest {
  @IsUUID('4') caseId!: string;
}
export class NotOursRequest {
  @IsOptional() @IsString() @MaxLength(500) note?: string;
}

/** Bank statements (camt.053/054) imported by a tenant-admin, their progress, and the clerk queue of unmatched items. */
@Controller('v1')
export class StatementsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly importStatement: ImportStatementUseCase,
    private readonly statements: StatementsRepository,
    private readonly queue: ClerkQueueUseCase,
  ) {}

  /** The XML as body (application/xml); `?tenant=` the 12-digit ARS (optional when the caller acts for exactly one). */
  @Permission('config:write')
  @Post('statements')
  @HttpCode(202)
  async import(
    @Req() req: RawBodyRequest,
    @Query('tenant') tenant: string | undefined,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const tenantArs = tenant ?? (principal?.tenants.length === 1 ? principal.tenants[0] : undefined);
    if (!tenantArs || !ARS.test(tenantArs)) {
      throw new PaymentException(
        PaymentErrorCode.StatementTenantRequired,
        'name the tenant the statement belongs to: ?tenant=<12-digit ARS>',
      );
    }
    if (!actsFor(principal, tenantArs))
      throw new PaymentException(PaymentErrorCode.TenantNotPermitted, `you do not act for tenant ${tenantArs}`);
    const body = req.rawBody ?? (Buffer.isBuffer(req.body) ? req.body : undefined);
    if (!body || body.length === 0) {
      throw new PaymentException(
        PaymentErrorCode.StatementUnreadable,
        'send the camt.053 or camt.054 XML as the body (content-type application/xml)',
      );
    }
    const receipt = await this.importStatement.execute(body, tenantArs, { actor: principal?.subject ?? 'unknown', source: 'api' });
    return {
      ...receipt,
      ...(receipt.alreadyImported ? { message: 'already imported: nothing was booked again' } : {}),
      status: `/v1/statements/${receipt.importId}`,
    };
  }

  /** Progress of an import: entries done / total, booked, queued for a clerk, ignored. */
  @Permission('config:read')
  @Get('statements/:importId')
  async status(
    @Param('importId', new ParseUUIDPipe({ version: '4' })) importId: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const row = await this.statements.byId(this.dataSource.manager, importId, tenantPrefixes(principal));
    if (!row) throw new PaymentException(PaymentErrorCode.ImportNotFound, `no statement import ${importId}`);
    return row;
  }

  @Permission('config:read')
  @Get('statements/:importId/items')
  async items(
    @Param('importId', new ParseUUIDPipe({ version: '4' })) importId: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const row = await this.statements.byId(this.dataSource.manager, importId, tenantPrefixes(principal));
    if (!row) throw new PaymentException(PaymentErrorCode.ImportNotFound, `no statement import ${importId}`);
    return this.statements.items(this.dataSource.manager, importId);
  }

  /** Unmatched statement items of the caller's tenants, with the reason matching failed. */
  /** Oldest first, one page (`limit`, `cursor`); the body stays a bare array, the next cursor is in `Next-Cursor`. */
  @Permission('queue:work')
  @Get('payment-queue')
  async list(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const state = typeof query['state'] === 'string' ? query['state'] : 'open';
    return queuePageWithHeader(
      query,
      ['timestamp', 'text', 'uuid'],
      (page) => this.statements.queue(this.dataSource.manager, tenantPrefixes(principal), state, page),
      (r) => [r.cursorAt, r.position, r.itemId],
      res,
    );
  }

  @Permission('queue:work')
  @Post('payment-queue/:itemId/assign')
  @HttpCode(200)
  assign(
    @Param('itemId', new ParseUUIDPipe({ version: '4' })) itemId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    return this.queue.assign(principal, itemId, validateContract(AssignRequest, body).caseId);
  }

  @Permission('queue:work')
  @Post('payment-queue/:itemId/not-ours')
  @HttpCode(200)
  async notOurs(
    @Param('itemId', new ParseUUIDPipe({ version: '4' })) itemId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    validateContract(NotOursRequest, body ?? {});
    await this.queue.notOurs(principal, itemId);
    return { itemId, state: 'not-ours' };
  }
}
