import { Injectable } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { ARS, LEIKA_KEY } from '@poststelle/contracts';
import { type TenantScope } from '@poststelle/platform';
import { ProceduresRepository } from '../routing/procedures.repository';
import { resolveRoute, type RuleCandidate } from '../routing/route-resolution';
import { assertOwnRegion } from './admin-access';

/** `GET /v1/admin/routing-rules/test` query: the service and the region to try. */
export class RoutingTestQuery {
  @IsString() @Matches(LEIKA_KEY, { message: 'leikaKey must be a LeiKa key (14 digits starting with 99)' }) leikaKey!: string;
  @IsString() @Matches(ARS, { message: 'ars must be a 12-digit Amtlicher Regionalschlüssel' }) ars!: string;
}

export interface RoutingTestAnswer {
  outcome: 'routed' | 'no-rule' | 'ambiguous';
  procedureId: string | null;
  /** In the words of `GET /v1/cases/{id}/routing`: the same resolution produces it. */
  explanation: string;
  matchedRule?: RuleCandidate;
  /** When two procedures are equally specific: the rules that tie. */
  tiedRules?: RuleCandidate[];
}

/**
 * "Which procedure gets this LeiKa × ARS?": the rules in effect now, resolved by the code that routes real cases
 * (`resolveRoute` over `ruleCandidates`), so the answer and its explanation are exactly what a case would get. A
 * tenant admin asks only about regions of its tenants (403 `FOREIGN_TENANT` otherwise).
 */
@Injectable()
export class RoutingRuleTester {
  constructor(
    private readonly dataSource: DataSource,
    private readonly procedures: ProceduresRepository,
  ) {}

  async test(q: RoutingTestQuery, scope: TenantScope): Promise<RoutingTestAnswer> {
    assertOwnRegion(scope, q.ars, 'ars');
    const resolution = resolveRoute(q.leikaKey, q.ars, await this.procedures.ruleCandidates(this.dataSource.manager, q.leikaKey));
    switch (resolution.kind) {
      case 'routed':
        return {
          outcome: 'routed',
          procedureId: resolution.rule.procedureId,
          explanation: resolution.explanation,
          matchedRule: resolution.rule,
        };
      case 'ambiguous':
        return { outcome: 'ambiguous', procedureId: null, explanation: resolution.explanation, tiedRules: resolution.rules };
      case 'no-rule':
        return { outcome: 'no-rule', procedureId: null, explanation: resolution.explanation };
    }
  }
}
