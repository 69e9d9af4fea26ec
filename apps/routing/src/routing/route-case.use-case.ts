import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  EventTypes,
  FORM_DATA_INLINE_MAX_BYTES_DEFAULT,
  Topics,
  formDataBytes,
  procedureTopic,
  type CaseRoutedV1,
  type CaseStatusChangedV1,
  type LevelOfAssurance,
  type CaseV1,
  type ManualRoutingRequiredV1,
  type RoutingDecisionDto,
} from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { RecordStatusUseCase } from '../status/record-status.use-case';
import { EarlyEvidenceRepository } from './early-evidence.repository';
import { PaymentGate } from './payment-gate';
import { applyEvidence, missingEvidence } from './evidence-requirements';
import { resolveRoute, type RuleCandidate } from './route-resolution';

/** Decides and records which procedure handles a case, and publishes the case to it (outbox, same transaction). */
@Injectable()
export class RouteCaseUseCase {
  private readonly log = new Logger('RouteCase');

  constructor(
    private readonly recordStatus: RecordStatusUseCase,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly earlyEvidence: EarlyEvidenceRepository,
    private readonly paymentGate: PaymentGate,
  ) {}

  async execute(manager: EntityManager, kase: CaseV1, causationId: string): Promise<void> {
    const leikaKey = kase.service.leikaKey;
    const ars = kase.tenant.ars;
    if (kase.bundle) {
      await manager.query(
        `INSERT INTO routing.bundle_members (case_id, bundle_id, life_event, size, position, leika_key) VALUES ($1, $2, $3, $4, $5, $6)`,
        [kase.caseId, kase.bundle.bundleId, kase.bundle.lifeEvent, kase.bundle.size, kase.bundle.position, leikaKey],
      );
    }
    const candidates = await manager.query<RuleCandidate[]>(
      `SELECT "ruleId", version, "arsPrefix", "procedureId", active FROM (
         SELECT DISTINCT ON (r.rule_id) r.rule_id AS "ruleId", r.version, r.leika_key, r.ars_prefix AS "arsPrefix",
                r.procedure_id AS "procedureId", p.active
           FROM routing.routing_rules r JOIN routing.procedures p ON p.procedure_id = r.procedure_id
          WHERE r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())
          ORDER BY r.rule_id, r.version DESC) latest
        WHERE leika_key = $1`,
      [leikaKey],
    );
    const resolution = resolveRoute(leikaKey, ars, candidates);
    if (resolution.kind === 'routed') {
      const { rule } = resolution;
      const decision: RoutingDecisionDto = {
        procedureId: rule.procedureId,
        procedureTopic: procedureTopic(rule.procedureId),
        ruleId: rule.ruleId,
        ruleVersion: rule.version,
        matchedPrefix: rule.arsPrefix,
        explanation: resolution.explanation,
      };
      const [accepted] = await manager.query<{ accepted_schemas: string[] }[]>(
        'SELECT accepted_schemas FROM routing.procedures WHERE procedure_id = $1',
        [rule.procedureId],
      );
      const schemas = accepted?.accepted_schemas ?? [];
      if (schemas.length > 0 && !schemas.includes(kase.formData.schemaUri)) {
        await this.toManual(
          manager,
          kase,
          'schema-not-accepted',
          `${resolution.explanation}, but that procedure does not accept form data of schema ${kase.formData.schemaUri} (it accepts ${schemas.join(', ')}); a clerk must decide`,
          causationId,
        );
        return;
      }
      await this.routeOrHold(manager, kase, causationId, decision);
      return;
    }
    await this.toManual(manager, kase, resolution.kind, resolution.explanation, causationId);
  }

  /** Nobody can be made responsible automatically: the case waits in the manual-routing queue with the reason. */
  private async toManual(
    manager: EntityManager,
    kase: CaseV1,
    reasonCode: ManualRoutingRequiredV1['reasonCode'],
    reason: string,
    causationId: string,
  ): Promise<void> {
    const itemId = randomUUID();
    await manager.query(
      `INSERT INTO routing.routing_decisions (case_id, tenant_ars, leika_key, outcome, explanation) VALUES ($1, $2, $3, 'manual', $4)`,
      [kase.caseId, kase.tenant.ars, kase.service.leikaKey, reason],
    );
    await manager.query(
      `INSERT INTO routing.manual_routing_queue (item_id, case_id, reason_code, reason, canonical) VALUES ($1, $2, $3, $4, $5)`,
      [itemId, kase.caseId, reasonCode, reason, JSON.stringify(kase)],
    );
    await addToOutbox<ManualRoutingRequiredV1>(manager, {
      topic: Topics.routingManual,
      key: kase.caseId,
      type: EventTypes.manualRoutingRequired,
      payload: { case: await this.forwardable(kase), reasonCode, reason, queueItemId: itemId },
      correlationId: kase.caseId,
      causationId,
      tenant: kase.tenant.ars,
    });
    this.log.warn('case needs manual routing', {
      caseId: kase.caseId,
      reasonCode,
      leikaKey: kase.service.leikaKey,
      tenant: kase.tenant.ars,
    });
  }

  /**
   * The procedure is known: publish the case to it if its evidence meets the procedure's requirement (level of
   * assurance, § 3a written form). Otherwise follow-up evidence that arrived before the case got here is applied
   * first (`routing.early_evidence`); if that suffices the case is released at once, else it is held with status
   * ACTION_REQUIRED and the applicant is told precisely what is missing. Returns what is still missing.
   */
  async routeOrHold(
    manager: EntityManager,
    kase: CaseV1,
    causationId: string | undefined,
    decision: RoutingDecisionDto,
  ): Promise<string[]> {
    await this.earlyEvidence.lockCase(manager, kase.caseId);
    if ((await this.missingFor(manager, kase, decision.procedureId)).length === 0) {
      await this.publishRouted(manager, kase, causationId, decision);
      return [];
    }
    const early = await this.earlyEvidence.takePending(manager, kase.caseId);
    const withEvidence = early.reduce(applyEvidence, kase);
    const missing = await this.missingFor(manager, withEvidence, decision.procedureId);
    if (missing.length > 0) {
      await this.hold(manager, withEvidence, decision, missing);
      return missing;
    }
    const means = early.map((e) => `${e.writtenForm.means} via ${e.channel}`).join(', ');
    await this.publishRouted(manager, withEvidence, causationId, {
      ...decision,
      explanation: `${decision.explanation}; released at once: evidence that arrived before the case was held meets the requirement (${means})`,
    });
    this.log.info('case released at once by evidence that arrived early', { caseId: kase.caseId, procedureId: decision.procedureId });
    return [];
  }

  /** Whether the case's evidence meets what the procedure requires; the reasons name what is missing. */
  async missingFor(manager: EntityManager, kase: CaseV1, procedureId: string): Promise<string[]> {
    const [requirements] = await manager.query<{ required_level_of_assurance: LevelOfAssurance; written_form_required: boolean }[]>(
      'SELECT required_level_of_assurance, written_form_required FROM routing.procedures WHERE procedure_id = $1',
      [procedureId],
    );
    return missingEvidence(kase, {
      procedureId,
      requiredLevelOfAssurance: requirements?.required_level_of_assurance ?? 'none',
      writtenFormRequired: requirements?.written_form_required ?? false,
    });
  }

  /** The case waits with status ACTION_REQUIRED until follow-up evidence meets the procedure's requirement. */
  private async hold(manager: EntityManager, kase: CaseV1, decision: RoutingDecisionDto, reasons: string[]): Promise<void> {
    await manager.query(
      `INSERT INTO routing.routing_decisions
         (case_id, tenant_ars, leika_key, outcome, procedure_id, rule_id, rule_version, matched_prefix, explanation, reply_channel)
       VALUES ($1, $2, $3, 'action-required', $4, $5, $6, $7, $8, $9)
       ON CONFLICT (case_id) DO UPDATE SET outcome = 'action-required', procedure_id = $4, rule_id = $5, rule_version = $6,
         matched_prefix = $7, explanation = $8, reply_channel = $9, decided_at = now()`,
      [
        kase.caseId,
        kase.tenant.ars,
        kase.service.leikaKey,
        decision.procedureId,
        decision.ruleId,
        decision.ruleVersion,
        decision.matchedPrefix,
        `${decision.explanation}; held until the applicant provides: ${reasons.join(' ')}`,
        JSON.stringify(kase.replyChannel),
      ],
    );
    await manager.query(
      `INSERT INTO routing.held_cases (case_id, procedure_id, rule_id, rule_version, matched_prefix, explanation, reasons, canonical)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        kase.caseId,
        decision.procedureId,
        decision.ruleId,
        decision.ruleVersion,
        decision.matchedPrefix,
        decision.explanation,
        JSON.stringify(reasons),
        JSON.stringify(kase),
      ],
    );
    const status: CaseStatusChangedV1 = {
      caseId: kase.caseId,
      procedureId: decision.procedureId,
      status: 'ACTION_REQUIRED',
      message: reasons.join('\n'),
      reportedBy: 'routing',
      reportedAt: new Date().toISOString(),
    };
    await this.recordStatus.execute(manager, randomUUID(), status, { replyChannel: kase.replyChannel, tenantArs: kase.tenant.ars });
    this.log.info('case held until evidence arrives', { caseId: kase.caseId, procedureId: decision.procedureId });
  }

  /**
   * Records the decision and publishes the case to its procedure topic and to `cases.routed.v1`, unless its fee must be
   * paid first (`PaymentGate`: held until payment reports it BOOKED).
   */
  async publishRouted(manager: EntityManager, kase: CaseV1, causationId: string | undefined, decision: RoutingDecisionDto): Promise<void> {
    if (await this.paymentGate.holds(manager, kase, decision)) return;
    await manager.query(
      `INSERT INTO routing.routing_decisions
         (case_id, tenant_ars, leika_key, outcome, procedure_id, rule_id, rule_version, matched_prefix, explanation, reply_channel)
       VALUES ($1, $2, $3, 'routed', $4, $5, $6, $7, $8, $9)
       ON CONFLICT (case_id) DO UPDATE SET outcome = 'routed', procedure_id = $4, rule_id = $5, rule_version = $6, matched_prefix = $7,
         explanation = $8, reply_channel = $9, decided_at = now()`,
      [
        kase.caseId,
        kase.tenant.ars,
        kase.service.leikaKey,
        decision.procedureId,
        decision.ruleId,
        decision.ruleVersion,
        decision.matchedPrefix,
        decision.explanation,
        JSON.stringify(kase.replyChannel),
      ],
    );
    const payload: CaseRoutedV1 = { case: await this.forwardable(kase), decision };
    const common = {
      key: kase.caseId,
      type: EventTypes.caseRouted,
      payload,
      correlationId: kase.caseId,
      tenant: kase.tenant.ars,
      ...(causationId ? { causationId } : {}),
    };
    await addToOutbox(manager, { ...common, topic: decision.procedureTopic });
    await addToOutbox(manager, { ...common, topic: Topics.casesRouted });
    this.log.info('case routed', {
      caseId: kase.caseId,
      procedureId: decision.procedureId,
      ruleId: decision.ruleId,
      ruleVersion: decision.ruleVersion,
    });
  }

  /**
   * The case as it is forwarded (procedure topic, `cases.routed.v1`, `routing.manual.v1`): form data that a producer
   * from before the claim check inlined above the bound is moved to the blob store and travels by reference, so the
   * forwarded case never carries more user content than intake would have inlined.
   */
  private async forwardable(kase: CaseV1): Promise<CaseV1> {
    const { content, ...formData } = kase.formData;
    if (content === undefined) return kase;
    const bytes = formDataBytes(content);
    if (bytes.length <= FORM_DATA_INLINE_MAX_BYTES_DEFAULT) return kase;
    const stored = await this.blobs.put(bytes);
    if (stored.sha512 !== kase.formData.sha512) {
      // Not the bytes intake hashed: a reference to them would fail every reader's hash check.
      this.log.warn('inline form data does not match its sha512; forwarded inline', { caseId: kase.caseId, sizeBytes: bytes.length });
      return kase;
    }
    return {
      ...kase,
      formData: { ...formData, contentRef: { blobRef: stored.blobRef, sha512: stored.sha512, sizeBytes: stored.sizeBytes } },
    };
  }
}
