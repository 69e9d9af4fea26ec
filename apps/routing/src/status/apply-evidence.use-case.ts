import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { procedureTopic, type CaseEvidenceAddedV1, type CaseStatusChangedV1, type CaseV1 } from '@poststelle/contracts';
import { Logger } from '@poststelle/telemetry';
import { EarlyEvidenceRepository } from '../routing/early-evidence.repository';
import { applyEvidence, missingEvidence } from '../routing/evidence-requirements';
import { HeldCasesRepository } from '../routing/held-cases.repository';
import { RouteCaseUseCase } from '../routing/route-case.use-case';
import { RecordStatusUseCase } from './record-status.use-case';

/**
 * A follow-up brought evidence for a held case: route it once the procedure's requirement is met. Evidence for a
 * case that is not held (yet) is kept in `routing.early_evidence` and applied when the case is held.
 */
@Injectable()
export class ApplyEvidenceUseCase {
  private readonly log = new Logger('CaseEvidence');

  constructor(
    private readonly routeCase: RouteCaseUseCase,
    private readonly recordStatus: RecordStatusUseCase,
    private readonly earlyEvidence: EarlyEvidenceRepository,
    private readonly heldCases: HeldCasesRepository,
  ) {}

  async execute(manager: EntityManager, messageId: string, evidence: CaseEvidenceAddedV1): Promise<void> {
    await this.earlyEvidence.lockCase(manager, evidence.caseId);
    const held = await this.heldCases.heldForUpdate(manager, evidence.caseId);
    if (!held) {
      await this.earlyEvidence.keep(manager, messageId, evidence);
      this.log.info('evidence for a case that is not held; kept until the case is held', { caseId: evidence.caseId });
      return;
    }
    const kase: CaseV1 = applyEvidence(held.canonical, evidence);
    const missing = missingEvidence(kase, { procedureId: held.procedureId, ...held.demands });
    const tell = (status: CaseStatusChangedV1['status'], message: string) =>
      this.recordStatus.execute(
        manager,
        randomUUID(),
        {
          caseId: evidence.caseId,
          procedureId: held.procedureId,
          status,
          message,
          reportedBy: 'routing',
          reportedAt: new Date().toISOString(),
        },
        { replyChannel: kase.replyChannel, tenantArs: kase.tenant.ars },
      );
    if (missing.length > 0) {
      await this.heldCases.stillMissing(manager, kase, missing);
      await tell('ACTION_REQUIRED', `Vielen Dank für Ihre Nachreichung. Es fehlt noch: ${missing.join(' ')}`);
      this.log.info('follow-up evidence is still not enough', { caseId: evidence.caseId });
      return;
    }
    await tell('PROCESSING', 'Die fehlenden Nachweise sind eingegangen. Ihr Antrag wurde an die zuständige Stelle weitergeleitet.');
    await this.heldCases.release(manager, kase);
    await this.routeCase.publishRouted(manager, kase, messageId, {
      procedureId: held.procedureId,
      procedureTopic: procedureTopic(held.procedureId),
      ruleId: held.ruleId,
      ruleVersion: held.ruleVersion,
      matchedPrefix: held.matchedPrefix,
      explanation: `${held.explanation}; released after the applicant provided the missing evidence (${evidence.writtenForm.means} via ${evidence.channel})`,
    });
  }
}
