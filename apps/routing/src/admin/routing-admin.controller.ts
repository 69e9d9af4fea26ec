import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Permission } from '@poststelle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { describeError } from '@poststelle/telemetry';
import { isValidProcedureId, procedureTopic, validateContract } from '@poststelle/contracts';
import { ProcedureTopics } from '../routing/procedure-topics';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { CreateRoutingRuleRequest, UpsertProcedureRequest } from './admin.requests';

const ACTOR = /^[\w.@:-]{1,100}$/;

interface RuleRow {
  ruleId: string;
  version: number;
  leikaKey: string;
  arsPrefix: string;
  procedureId: string;
  validFrom: Date;
  validTo: Date | null;
}

const RULE_COLUMNS = `rule_id AS "ruleId", version, leika_key AS "leikaKey", ars_prefix AS "arsPrefix", procedure_id AS "procedureId",
  valid_from AS "validFrom", valid_to AS "validTo"`;

/**
 * Admin API for procedures and routing rules. Rules are versioned and effective-dated: a change adds a version,
 * retiring ends the validity; nothing is overwritten. Every change is written to the audit trail (who, when, what,
 * old and new) in the same transaction. Rules are read per case, so changes apply without restart.
 * The caller names itself in `X-Actor` (the API gateway sets it from the authenticated user).
 */
@Controller('v1/admin')
export class RoutingAdminController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly procedureTopics: ProcedureTopics,
  ) {}

  private actor(header: string | undefined): string {
    if (!header || !ACTOR.test(header)) {
      throw new RoutingException(
        RoutingErrorCode.InvalidRequest,
        'the X-Actor header must name who makes the change (1-100 letters, digits, . @ : _ -)',
      );
    }
    return header;
  }

  private async audit(
    m: EntityManager,
    actor: string,
    action: string,
    entity: string,
    entityId: string,
    oldValue: unknown,
    newValue: unknown,
  ): Promise<void> {
    await m.query(
      'INSERT INTO routing.audit_log (actor, action, entity, entity_id, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        actor,
        action,
        entity,
        entityId,
        oldValue === undefined ? null : JSON.stringify(oldValue),
        newValue === undefined ? null : JSON.stringify(newValue),
      ],
    );
  }

  @Permission('config:write')
  @Put('procedures/:procedureId')
  async upsertProcedure(@Param('procedureId') procedureId: string, @Body() body: unknown, @Headers('x-actor') actorHeader?: string) {
    const actor = this.actor(actorHeader);
    if (!isValidProcedureId(procedureId)) {
      throw new RoutingException(RoutingErrorCode.InvalidRequest, 'procedureId: lower-case letters, digits and -, 2-63 characters');
    }
    const req = validateContract(UpsertProcedureRequest, body);
    const topic = procedureTopic(procedureId);
    const next = {
      procedureId,
      tenantArs: req.tenantArs,
      name: req.name,
      topic,
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
    await this.dataSource.transaction(async (m) => {
      const [old] = await m.query<unknown[]>(
        `SELECT procedure_id AS "procedureId", tenant_ars AS "tenantArs", name, topic, required_level_of_assurance AS "requiredLevelOfAssurance",
                written_form_required AS "writtenFormRequired", accepted_schemas AS "acceptedSchemas", active FROM routing.procedures WHERE procedure_id = $1 FOR UPDATE`,
        [procedureId],
      );
      await m.query(
        `INSERT INTO routing.procedures
           (procedure_id, tenant_ars, name, topic, required_level_of_assurance, written_form_required, active, accepted_schemas)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (procedure_id) DO UPDATE SET tenant_ars = $2, name = $3, required_level_of_assurance = $5,
           written_form_required = $6, active = $7, accepted_schemas = $8, updated_at = now()`,
        [
          procedureId,
          next.tenantArs,
          next.name,
          topic,
          next.requiredLevelOfAssurance,
          next.writtenFormRequired,
          next.active,
          next.acceptedSchemas,
        ],
      );
      await this.audit(m, actor, old ? 'procedure.updated' : 'procedure.created', 'procedure', procedureId, old, next);
    });
    return next;
  }

  @Permission('config:read')
  @Get('procedures')
  procedures() {
    return this.dataSource.query(
      `SELECT procedure_id AS "procedureId", tenant_ars AS "tenantArs", name, topic, required_level_of_assurance AS "requiredLevelOfAssurance",
              written_form_required AS "writtenFormRequired", accepted_schemas AS "acceptedSchemas", active FROM routing.procedures ORDER BY procedure_id`,
    );
  }

  @Permission('config:write')
  @Post('routing-rules')
  @HttpCode(201)
  async createRule(@Body() body: unknown, @Headers('x-actor') actorHeader?: string) {
    const actor = this.actor(actorHeader);
    const req = validateContract(CreateRoutingRuleRequest, body);
    return this.addVersion(actor, req.ruleId ?? `rule-${randomUUID().slice(0, 8)}`, req);
  }

  /** Changes a rule: adds a new version (effective from `validFrom`, default now). */
  @Permission('config:write')
  @Put('routing-rules/:ruleId')
  async changeRule(@Param('ruleId') ruleId: string, @Body() body: unknown, @Headers('x-actor') actorHeader?: string) {
    const actor = this.actor(actorHeader);
    const req = validateContract(CreateRoutingRuleRequest, { ...(body as object), ruleId });
    return this.addVersion(actor, ruleId, req, true);
  }

  /** Retires a rule: its latest version stops being effective now. */
  @Permission('config:write')
  @Delete('routing-rules/:ruleId')
  async retireRule(@Param('ruleId') ruleId: string, @Headers('x-actor') actorHeader?: string) {
    const actor = this.actor(actorHeader);
    return this.dataSource.transaction(async (m) => {
      const [old] = await m.query<RuleRow[]>(
        `SELECT ${RULE_COLUMNS} FROM routing.routing_rules WHERE rule_id = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE`,
        [ruleId],
      );
      if (!old) throw new RoutingException(RoutingErrorCode.RuleNotFound, `routing rule '${ruleId}' does not exist`);
      // Every version ends now, so an older version cannot come back into force.
      await m.query('UPDATE routing.routing_rules SET valid_to = now() WHERE rule_id = $1 AND (valid_to IS NULL OR valid_to > now())', [
        ruleId,
      ]);
      const [now] = await m.query<RuleRow[]>(`SELECT ${RULE_COLUMNS} FROM routing.routing_rules WHERE rule_id = $1 AND version = $2`, [
        ruleId,
        old.version,
      ]);
      await this.audit(m, actor, 'rule.retired', 'routing-rule', ruleId, old, now);
      return now;
    });
  }

  private async addVersion(actor: string, ruleId: string, req: CreateRoutingRuleRequest, mustExist = false) {
    return this.dataSource.transaction(async (m) => {
      const [proc] = await m.query<unknown[]>('SELECT 1 FROM routing.procedures WHERE procedure_id = $1', [req.procedureId]);
      if (!proc) throw new RoutingException(RoutingErrorCode.ProcedureNotFound, `procedure '${req.procedureId}' does not exist`);
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rule:${ruleId}`]);
      const [old] = await m.query<RuleRow[]>(
        `SELECT ${RULE_COLUMNS} FROM routing.routing_rules WHERE rule_id = $1 ORDER BY version DESC LIMIT 1`,
        [ruleId],
      );
      if (mustExist && !old) throw new RoutingException(RoutingErrorCode.RuleNotFound, `routing rule '${ruleId}' does not exist`);
      const [created] = await m.query<RuleRow[]>(
        `INSERT INTO routing.routing_rules (rule_id, version, leika_key, ars_prefix, procedure_id, valid_from, valid_to)
         VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7::timestamptz)
         RETURNING ${RULE_COLUMNS}`,
        [ruleId, (old?.version ?? 0) + 1, req.leikaKey, req.arsPrefix, req.procedureId, req.validFrom ?? null, req.validTo ?? null],
      );
      await this.audit(m, actor, old ? 'rule.changed' : 'rule.created', 'routing-rule', ruleId, old, created);
      return created;
    });
  }

  @Permission('config:read')
  @Get('routing-rules')
  rules() {
    return this.dataSource.query(`SELECT ${RULE_COLUMNS} FROM routing.routing_rules ORDER BY rule_id, version`);
  }

  @Permission('audit:read')
  @Get('audit-log')
  auditLog(@Query('entityId') entityId?: string) {
    return this.dataSource.query(
      `SELECT actor, action, entity, entity_id AS "entityId", old_value AS "oldValue", new_value AS "newValue", at
         FROM routing.audit_log WHERE $1::text IS NULL OR entity_id = $1 ORDER BY id`,
      [entityId ?? null],
    );
  }
}
