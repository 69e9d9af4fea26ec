import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, Permission, auditScopeOf, tenantScopeOf, type Principal } from '@poststelle/platform';
import { randomUUID } from 'node:crypto';
import { describeError } from '@poststelle/telemetry';
import { isValidProcedureId, procedureTopic, validateContract } from '@poststelle/contracts';
import { ProcedureTopics } from '../routing/procedure-topics';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { assertOwnProcedure, assertOwnRegion, visibleRule } from './admin-access';
import { CreateRoutingRuleRequest, UpsertProcedureRequest } from './admin.requests';
import { RoutingAdminRepository, type ProcedureRow, type RuleRow } from './routing-admin.repository';

/** Who changes: the subject and client of the verified access token (the guard set it on every route here). */
const author = (principal: Principal | undefined) => ({ subject: principal?.subject ?? 'unknown', clientId: principal?.clientId });

/**
 * Admin API for procedures and routing rules. Rules are versioned and effective-dated: a change adds a version,
 * retiring ends the validity; nothing is overwritten. Every change is written to the audit trail (the token's
 * subject and client, when, what, old and new) in the same transaction. Rules are read per case, so changes apply
 * without restart. A tenant admin reads and changes only its tenants' procedures and rules (ADR 0016): a change
 * naming a foreign region is 403 `FOREIGN_TENANT`, another tenant's rule is 404.
 */
@Controller('v1/admin')
export class RoutingAdminController {
  constructor(
    private readonly repository: RoutingAdminRepository,
    private readonly procedureTopics: ProcedureTopics,
  ) {}

  @Permission('config:write')
  @Put('procedures/:procedureId')
  async upsertProcedure(@Param('procedureId') procedureId: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const scope = tenantScopeOf(principal);
    if (!isValidProcedureId(procedureId)) {
      throw new RoutingException(RoutingErrorCode.InvalidRequest, 'procedureId: lower-case letters, digits and -, 2-63 characters');
    }
    const req = validateContract(UpsertProcedureRequest, body);
    assertOwnRegion(scope, req.tenantArs, 'tenantArs');
    const next: ProcedureRow = {
      procedureId,
      tenantArs: req.tenantArs,
      name: req.name,
      topic: procedureTopic(procedureId),
      requiredLevelOfAssurance: req.requiredLevelOfAssurance ?? 'none',
      writtenFormRequired: req.writtenFormRequired ?? false,
      acceptedSchemas: req.acceptedSchemas ?? [],
      active: req.active ?? true,
    };
    // Topics first: a procedure is only registered once its back office can read cases and report status.
    try {
      await this.procedureTopics.ensure([procedureId]);
    } catch (error) {
      throw new RoutingException(
        RoutingErrorCode.ProcedureTopicsUnavailable,
        `the Kafka topics of procedure ${procedureId} could not be created (${describeError(error).error}); the procedure was not registered, try again`,
      );
    }
    await this.repository.transaction(async (m) => {
      const old = await this.repository.procedureForUpdate(m, procedureId);
      assertOwnProcedure(scope, old, procedureId);
      await this.repository.upsertProcedure(m, next);
      await this.repository.audit(m, {
        ...author(principal),
        action: old ? 'procedure.updated' : 'procedure.created',
        entity: 'procedure',
        entityId: procedureId,
        tenantArs: next.tenantArs,
        oldValue: old,
        newValue: next,
      });
    });
    return next;
  }

  @Permission('config:read')
  @Get('procedures')
  procedures(@CurrentPrincipal() principal?: Principal) {
    return this.repository.listProcedures(tenantScopeOf(principal));
  }

  @Permission('config:write')
  @Post('routing-rules')
  @HttpCode(201)
  async createRule(@Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const req = validateContract(CreateRoutingRuleRequest, body);
    return this.addVersion(principal, req.ruleId ?? `rule-${randomUUID().slice(0, 8)}`, req);
  }

  /** Changes a rule: adds a new version (effective from `validFrom`, default now). */
  @Permission('config:write')
  @Put('routing-rules/:ruleId')
  async changeRule(@Param('ruleId') ruleId: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    const req = validateContract(CreateRoutingRuleRequest, { ...(body as object), ruleId });
    return this.addVersion(principal, ruleId, req, true);
  }

  /** Retires a rule: its latest version stops being effective now. */
  @Permission('config:write')
  @Delete('routing-rules/:ruleId')
  async retireRule(@Param('ruleId') ruleId: string, @CurrentPrincipal() principal?: Principal) {
    const scope = tenantScopeOf(principal);
    return this.repository.transaction(async (m) => {
      await this.repository.lockRule(m, ruleId);
      const old = visibleRule(scope, await this.repository.latestRule(m, ruleId));
      if (!old) throw new RoutingException(RoutingErrorCode.RuleNotFound, `routing rule '${ruleId}' does not exist`);
      const now = await this.repository.retireRule(m, ruleId, old.version);
      await this.repository.audit(m, {
        ...author(principal),
        action: 'rule.retired',
        entity: 'routing-rule',
        entityId: ruleId,
        tenantArs: old.arsPrefix,
        oldValue: old,
        newValue: now,
      });
      return now;
    });
  }

  private async addVersion(principal: Principal | undefined, ruleId: string, req: CreateRoutingRuleRequest, mustExist = false) {
    const scope = tenantScopeOf(principal);
    assertOwnRegion(scope, req.arsPrefix, 'arsPrefix');
    return this.repository.transaction(async (m): Promise<RuleRow> => {
      if (!(await this.repository.procedureExistsIn(m, req.procedureId, scope))) {
        throw new RoutingException(RoutingErrorCode.ProcedureNotFound, `procedure '${req.procedureId}' does not exist`);
      }
      await this.repository.lockRule(m, ruleId);
      const latest = await this.repository.latestRule(m, ruleId);
      const old = visibleRule(scope, latest);
      if (latest && !old) {
        // Another tenant's rule: it does not exist for this caller, and its id cannot be taken over.
        if (mustExist) throw new RoutingException(RoutingErrorCode.RuleNotFound, `routing rule '${ruleId}' does not exist`);
        throw new RoutingException(RoutingErrorCode.ForeignTenant, `rule id '${ruleId}' is in use by a tenant you do not administer`);
      }
      if (mustExist && !old) throw new RoutingException(RoutingErrorCode.RuleNotFound, `routing rule '${ruleId}' does not exist`);
      const created = await this.repository.insertRuleVersion(m, {
        ruleId,
        version: (old?.version ?? 0) + 1,
        leikaKey: req.leikaKey,
        arsPrefix: req.arsPrefix,
        procedureId: req.procedureId,
        validFrom: req.validFrom,
        validTo: req.validTo,
      });
      await this.repository.audit(m, {
        ...author(principal),
        action: old ? 'rule.changed' : 'rule.created',
        entity: 'routing-rule',
        entityId: ruleId,
        tenantArs: created.arsPrefix,
        oldValue: old,
        newValue: created,
      });
      return created;
    });
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
