import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, Permission, auditScopeOf, tenantScopeOf, validateQuery, type Principal } from '@poststelle/platform';
import { randomUUID } from 'node:crypto';
import { isValidProcedureId, validateContract } from '@poststelle/contracts';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { CreateRoutingRuleRequest, UpsertProcedureRequest } from './admin.requests';
import { RoutingAdminRepository } from './routing-admin.repository';
import { RoutingConfigUseCase } from './routing-config.use-case';
import { RoutingRuleTester, RoutingTestQuery } from './routing-rule-tester';

/**
 * Admin API for procedures and routing rules: requests are validated here, changes made by {@link RoutingConfigUseCase}
 * (versioned, audited), lists read scoped to the caller's tenants. Rules are read per case, so changes apply without
 * restart.
 */
@Controller('v1/admin')
export class RoutingAdminController {
  constructor(
    private readonly repository: RoutingAdminRepository,
    private readonly config: RoutingConfigUseCase,
    private readonly tester: RoutingRuleTester,
  ) {}

  @Permission('config:write')
  @Put('procedures/:procedureId')
  upsertProcedure(@Param('procedureId') procedureId: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    if (!isValidProcedureId(procedureId)) {
      throw new RoutingException(RoutingErrorCode.InvalidRequest, 'procedureId: lower-case letters, digits and -, 2-63 characters');
    }
    return this.config.upsertProcedure(procedureId, validateContract(UpsertProcedureRequest, body), principal);
  }

  @Permission('config:read')
  @Get('procedures')
  procedures(@CurrentPrincipal() principal?: Principal) {
    return this.repository.listProcedures(tenantScopeOf(principal));
  }

  @Permission('config:write')
  @Post('routing-rules')
  @HttpCode(201)
  createRule(@Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const req = validateContract(CreateRoutingRuleRequest, body);
    return this.config.addVersion(principal, req.ruleId ?? `rule-${randomUUID().slice(0, 8)}`, req);
  }

  /** Changes a rule: adds a new version (effective from `validFrom`, default now). */
  @Permission('config:write')
  @Put('routing-rules/:ruleId')
  changeRule(@Param('ruleId') ruleId: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const req = validateContract(CreateRoutingRuleRequest, { ...(body as object), ruleId });
    return this.config.addVersion(principal, ruleId, req, true);
  }

  /** Retires a rule: its latest version stops being effective now. */
  @Permission('config:write')
  @Delete('routing-rules/:ruleId')
  retireRule(@Param('ruleId') ruleId: string, @CurrentPrincipal() principal?: Principal) {
    return this.config.retireRule(ruleId, principal);
  }

  /** Which procedure a case of this service and region would get now, and why (the real resolution, nothing stored). */
  @Permission('config:read')
  @Get('routing-rules/test')
  testRules(@Query() query: unknown, @CurrentPrincipal() principal?: Principal) {
    return this.tester.test(validateQuery(RoutingTestQuery, query), tenantScopeOf(principal));
  }

  @Permission('config:read')
  @Get('routing-rules')
  rules(@CurrentPrincipal() principal?: Principal) {
    return this.repository.listRules(tenantScopeOf(principal));
  }

  /** The audit trail; an auditor with tenants sees the changes in their regions, one without tenants all. */
  @Permission('audit:read')
  @Get('audit-log')
  auditLog(@Query('entityId') entityId?: string, @CurrentPrincipal() principal?: Principal) {
    return this.repository.auditLog(auditScopeOf(principal), entityId);
  }
}
