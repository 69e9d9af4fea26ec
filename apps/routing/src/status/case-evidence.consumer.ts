import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CaseEvidenceAddedV1,
  Topics,
  procedureTopic,
  validateContract,
  type CaseStatusChangedV1,
  type CaseV1,
  type LevelOfAssurance,
} from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { EarlyEvidenceRepository } from '../routing/early-evidence.repository';
import { applyEvidence, missingEvidence } from '../routing/evidence-requirements';
import { RouteCaseUseCase } from '../routing/route-case.use-case';
import { RecordStatusUseCase } from './record-status.use-case';

interface HeldCase {
  procedure_id: string;
  rule_id: string;
  rule_version: number;
  matched_prefix: string;
  explanation: string;
  canonical: CaseV1;
  required_level_of_assurance: LevelOfAssurance;
  written_form_required: boolean;
}

/**
 * A follow-up brought evidence for a held case: route it once the procedure's requirement is met. Evidence for a
 * case that is not held (yet) is kept in `routing.early_evidence` and applied when the case is held.
 */
@Injectable()
export class CaseEvidenceConsumer implements OnModuleInit {
  private readonly log = new Logger('CaseEvidence');

  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly routeCase: RouteCaseUseCase,
    private readonly recordStatus: RecordStatusUseCase,
    private readonly earlyEvidence: EarlyEvidenceRepository,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'routing.evidence', handlers: { [Topics.casesEvidence]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    const evidence = validateContract(CaseEvidenceAddedV1, envelope.payload);
    await this.earlyEvidence.lockCase(manager, evidence.caseId);
    const [held] = await manager.query<HeldCase[]>(
      `SELECT h.procedure_id, h.rule_id, h.rule_version, h.matched_prefix, h.explanation, h.canonical, p.required_level_of_assurance, p.written_form_required
         FROM routing.held_cases h JOIN routing.procedures p ON p.procedure_id = h.procedure_id
        WHERE h.case_id = $1 AND h.status = 'action-required' FOR UPDATE OF h`,
      [evidence.caseId],
    );
    if (!held) {
      await this.earlyEvidence.keep(manager, envelope.id, evidence);
      this.log.info('evidence for a case that is not held; kept until the case is held', { caseId: evidence.caseId });
      return;
    }
    const kase: CaseV1 = applyEvidence(held.canonical, evidence);
    const missing = missingEvidence(kase, {
      procedureId: held.procedure_id,
      requiredLevelOfAssurance: held.required_level_of_assurance,
      writtenFormRequired: held.written_form_required,
    });
    const tell = (status: CaseStatusChangedV1['status'], message: string) =>
      this.recordStatus.execute(
        manager,
        randomUUID(),
        {
          caseId: evidence.caseId,
          procedureId: held.procedure_id,
          status,
          message,
          reportedBy: 'routing',
          reportedAt: new Date().toISOString(),
        },
        { replyChannel: kase.replyChannel, tenantArs: kase.tenant.ars },
      );
    if (missing.length > 0) {
      await manager.query('UPDATE routing.held_cases SET canonical = $2, reasons = $3 WHERE case_id = $1', [
        evidence.caseId,
        JSON.stringify(kase),
        JSON.stringify(missing),
      ]);
      await tell('ACTION_REQUIRED', `Vielen Dank für Ihre Nachreichung. Es fehlt noch: ${missing.join(' ')}`);
      this.log.info('follow-up evidence is still not enough', { caseId: evidence.caseId });
      return;
    }
    await tell('PROCESSING', 'Die fehlenden Nachweise sind eingegangen. Ihr Antrag wurde an die zuständige Stelle weitergeleitet.');
    await manager.query(`UPDATE routing.held_cases SET status = 'released', released_at = now(), canonical = $2 WHERE case_id = $1`, [
      evidence.caseId,
      JSON.stringify(kase),
    ]);
    await this.routeCase.publishRouted(manager, kase, envelope.id, {
      procedureId: held.procedure_id,
      procedureTopic: procedureTopic(held.procedure_id),
      ruleId: held.rule_id,
      ruleVersion: held.rule_version,
      matchedPrefix: held.matched_prefix,
      explanation: `${held.explanation}; released after the applicant provided the missing evidence (${evidence.writtenForm.means} via ${evidence.channel})`,
    });
  }
}
