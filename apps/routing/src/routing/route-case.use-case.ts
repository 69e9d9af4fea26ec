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
import { HeldCasesRepository } from './held-cases.repository';
import { ProceduresRepository, type ProcedureDemands } from './procedures.repository';
import { resolveRoute } from './route-resolution';
import { RoutingDecisionsRepository } from './routing-decisions.repository';
import { routingDecisions } from './routing-metrics';

/** Decides and records which procedure handles a case, and publishes the case to it (outbox, same transaction). */
@Injectable()
export class RouteCaseUseCase {
  private readonly log = new Logger('RouteCase');

  constructor(
    private readonly recordStatus: RecordStatusUseCase,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly earlyEvidence: EarlyEvidenceRepository,
    private readonly procedures: ProceduresRepository,
    private readonly decisions: RoutingDecisionsRepository,
    private readonly heldCases: HeldCasesRepository,
    private readonly paymentGate: PaymentGate,
  ) {}

  async execute(manager: EntityManager, kase: CaseV1, causationId: string): Promise<void> {
    const leikaKey = kase.service.leikaKey;
    const ars = kase.tenant.ars;
    await this.decisions.addBundleMember(manager, kase);
    const candidates = await this.procedures.ruleCandidates(manager, leikaKey);
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
      const demands = await this.procedures.demands(manager, rule.procedureId);
      const schemas = demands.acceptedSchemas;
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
      await this.routeOrHold(manager, kase, causationId, decision, demands);
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
    await this.decisions.queueForClerk(manager, kase, { itemId, reasonCode, reason });
    routingDecisions.inc({ outcome: 'manual' });
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
   * ACTION_REQUIRED and the applicant is told precisely what is missing. Returns what is still missing. The
   * procedure's demands are read once per case (the caller may pass them if it read them already).
   */
  async routeOrHold(
    manager: EntityManager,
    kase: CaseV1,
    causationId: string | undefined,
    decision: RoutingDecisionDto,
    known?: ProcedureDemands,
  ): Promise<string[]> {
    const demands = known ?? (await this.procedures.demands(manager, decision.procedureId));
    const missingFor = (c: CaseV1) => missingEvidence(c, { procedureId: decision.procedureId, ...demands });
    await this.earlyEvidence.lockCase(manager, kase.caseId);
    if (missingFor(kase).length === 0) {
      await this.publishRouted(manager, kase, causationId, decision);
      return [];
    }
    const early = await this.earlyEvidence.takePending(manager, kase.caseId);
    const withEvidence = early.reduce(applyEvidence, kase);
    const missing = missingFor(withEvidence);
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

  /** The case waits with status ACTION_REQUIRED until follow-up evidence meets the procedure's requirement. */
  private async hold(manager: EntityManager, kase: CaseV1, decision: RoutingDecisionDto, reasons: string[]): Promise<void> {
    const explanation = `${decision.explanation}; held until the applicant provides: ${reasons.join(' ')}`;
    await this.decisions.decide(manager, kase, 'action-required', decision, explanation);
    await this.heldCases.hold(manager, kase, decision, reasons);
    routingDecisions.inc({ outcome: 'held-evidence' });
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
    await this.decisions.decide(manager, kase, 'routed', decision, decision.explanation);
    routingDecisions.inc({ outcome: 'routed' });
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
