import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type LevelOfAssurance } from '@poststelle/contracts';
import { type RuleCandidate } from './route-resolution';

/** What a procedure demands of a case: evidence (§ 3a VwVfG, eIDAS) and the form-data schemas it can process. */
export interface ProcedureDemands {
  requiredLevelOfAssurance: LevelOfAssurance;
  writtenFormRequired: boolean;
  /** Empty: any schema. */
  acceptedSchemas: string[];
}

/** A procedure routing does not know demands nothing (the rule that named it decides). */
export const NO_DEMANDS: ProcedureDemands = { requiredLevelOfAssurance: 'none', writtenFormRequired: false, acceptedSchemas: [] };

/** `routing.procedures` and `routing.routing_rules` as routing reads them per case (the admin API writes them). */
@Injectable()
export class ProceduresRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every registered procedure's id (its topics are ensured at start-up). */
  async allIds(): Promise<string[]> {
    const rows = await this.dataSource.query<{ procedure_id: string }[]>('SELECT procedure_id FROM routing.procedures');
    return rows.map((r) => r.procedure_id);
  }

  /** The latest effective version of every rule for the service, with whether its procedure is switched on. */
  ruleCandidates(m: EntityManager, leikaKey: string): Promise<RuleCandidate[]> {
    return m.query<RuleCandidate[]>(
      `SELECT "ruleId", version, "arsPrefix", "procedureId", active FROM (
         SELECT DISTINCT ON (r.rule_id) r.rule_id AS "ruleId", r.version, r.leika_key, r.ars_prefix AS "arsPrefix",
                r.procedure_id AS "procedureId", p.active
           FROM routing.routing_rules r JOIN routing.procedures p ON p.procedure_id = r.procedure_id
          WHERE r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())
          ORDER BY r.rule_id, r.version DESC) latest
        WHERE leika_key = $1`,
      [leikaKey],
    );
  }

  /** What the procedure demands, read once per case; an unknown procedure demands nothing. */
  async demands(m: EntityManager, procedureId: string): Promise<ProcedureDemands> {
    const [row] = await m.query<ProcedureDemands[]>(
      `SELECT required_level_of_assurance AS "requiredLevelOfAssurance", written_form_required AS "writtenFormRequired",
              accepted_schemas AS "acceptedSchemas"
         FROM routing.procedures WHERE procedure_id = $1`,
      [procedureId],
    );
    return row ?? NO_DEMANDS;
  }
}
