import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { isValidProcedureId, procedureTopic, validateContract } from '@poststelle/contracts';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { CreateRoutingRuleRequest, UpsertProcedureRequest } from './admin.requests';

/** Admin API for procedures and routing rules. Rules are read per case, so changes apply without restart. */
@Controller('v1/admin')
export class RoutingAdminController {
  constructor(private readonly dataSource: DataSource) {}

  @Put('procedures/:procedureId')
  async upsertProcedure(@Param('procedureId') procedureId: string, @Body() body: unknown) {
    if (!isValidProcedureId(procedureId)) {
      throw new RoutingException(RoutingErrorCode.InvalidRequest, 'procedureId: lower-case letters, digits and -, 2-63 characters');
    }
    const req = validateContract(UpsertProcedureRequest, body);
    const topic = procedureTopic(procedureId);
    await this.dataSource.query(
      `INSERT INTO routing.procedures (procedure_id, tenant_ars, name, topic, required_level_of_assurance, written_form_required, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (procedure_id) DO UPDATE SET tenant_ars = $2, name = $3, required_level_of_assurance = $5,
         written_form_required = $6, active = $7, updated_at = now()`,
      [
        procedureId,
        req.tenantArs,
        req.name,
        topic,
        req.requiredLevelOfAssurance ?? 'none',
        req.writtenFormRequired ?? false,
        req.active ?? true,
      ],
    );
    return { procedureId, topic, ...req };
  }

  @Get('procedures')
  procedures() {
    return this.dataSource.query(
      `SELECT procedure_id AS "procedureId", tenant_ars AS "tenantArs", name, topic, required_level_of_assurance AS "requiredLevelOfAssurance",
              written_form_required AS "writtenFormRequired", active FROM routing.procedures ORDER BY procedure_id`,
    );
  }

  @Post('routing-rules')
  @HttpCode(201)
  async createRule(@Body() body: unknown) {
    const req = validateContract(CreateRoutingRuleRequest, body);
    const [proc] = await this.dataSource.query<unknown[]>('SELECT 1 FROM routing.procedures WHERE procedure_id = $1', [req.procedureId]);
    if (!proc) throw new RoutingException(RoutingErrorCode.ProcedureNotFound, `procedure '${req.procedureId}' does not exist`);
    const ruleId = req.ruleId ?? `rule-${randomUUID().slice(0, 8)}`;
    const [{ version }] = await this.dataSource.query<[{ version: number }]>(
      `INSERT INTO routing.routing_rules (rule_id, version, leika_key, ars_prefix, procedure_id, valid_from, valid_to)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, coalesce($5::timestamptz, now()), $6::timestamptz
         FROM routing.routing_rules WHERE rule_id = $1
       RETURNING version`,
      [ruleId, req.leikaKey, req.arsPrefix, req.procedureId, req.validFrom ?? null, req.validTo ?? null],
    );
    return { ruleId, version, ...req };
  }

  @Get('routing-rules')
  rules() {
    return this.dataSource.query(
      `SELECT rule_id AS "ruleId", version, leika_key AS "leikaKey", ars_prefix AS "arsPrefix", procedure_id AS "procedureId",
              valid_from AS "validFrom", valid_to AS "validTo" FROM routing.routing_rules ORDER BY rule_id, version`,
    );
  }
}
