import { Injectable } from '@nestjs/common';
import { procedureTopic } from '@poststelle/contracts';
import { tenantScopeOf, type Principal } from '@poststelle/platform';
import { describeError } from '@poststelle/telemetry';
import { ProcedureTopics } from '../routing/procedure-topics';
import { RoutingErrorCode, RoutingException } from '../routing/routing.exception';
import { assertOwnProcedure, assertOwnRegion, visibleRule } from './admin-access';
import { type CreateRoutingRuleRequest, type UpsertProcedureRequest } from './admin.requests';
import { RoutingAdminRepository, type ProcedureRow, type RuleRow } from './routing-admin.repository';

/** Who changes: the subject and client of the verified access token (the guard set it on every admin route). */
const author = (principal: Principal | undefined) => ({ subject: principal?.subject ?? 'unknown', clientId: principal?.clientId });

/**
 * Changes to procedures and routing rules. Rules are versioned and effective-dated: a change adds a version,
 * retiring ends the validity; nothing is overwritten. Every change is written to the audit trail (the token's
 * subject and client, when, what, old and new) in the same transaction. A tenant admin changes only its tenants'
 * procedures and rules (ADR 0016): a change naming a foreign region is 403 `FOREIGN_TENANT`, another tenant's rule is 404.
 */
@Injectable()
export class RoutingConfigUseCase {
  constructor(
    private readonly repository: RoutingAdminRepository,
    private readonly procedureTopics: ProcedureTopics,
  ) {}

  async upsertProcedure(procedureId: string, req: UpsertProcedureRequest, principal: Principal | undefined): Promise<ProcedureRow> {
    const scope = tenantScopeOf(principal);
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

  /** Retires a rule: its latest version stops being effective now. */
  async retireRule(ruleId: string, principal: Principal | undefined): Promise<RuleRow> {
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

  async addVersion(principal: Principal | undefined, ruleId: string, req: CreateRoutingRuleRequest, mustExist = false): Promise<RuleRow> {
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
}
