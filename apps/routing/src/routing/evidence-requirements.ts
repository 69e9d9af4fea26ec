import { type AttachmentRefDto, type CaseV1, type LevelOfAssurance, type WrittenFormEvidenceDto } from '@poststelle/contracts';

const LOA_RANK: Record<LevelOfAssurance, number> = { none: 0, low: 1, substantial: 2, high: 3 };

/**
 * Means that satisfy the written form for an application under § 3a VwVfG (as of 2024): a qualified electronic
 * signature; the authority's own online form used with the eID function; sending from a special electronic mailbox
 * (beA, beBPo, eBO); paper with a handwritten signature. The authority's qualified seal only covers the authority's
 * own documents, and a plain email never satisfies it.
 */
export const WRITTEN_FORM_MEANS = [
  'qualified-electronic-signature',
  'eid-authority-form',
  'safe-mailbox',
  'handwritten-signature',
] as const;

export interface ProcedureRequirements {
  procedureId: string;
  requiredLevelOfAssurance: LevelOfAssurance;
  writtenFormRequired: boolean;
}

export interface CaseEvidence {
  levelOfAssurance: LevelOfAssurance;
  writtenForm: WrittenFormEvidenceDto;
}

/** What is missing for the procedure to accept the case; empty when the evidence suffices. */
export function missingEvidence(evidence: CaseEvidence, procedure: ProcedureRequirements): string[] {
  const reasons: string[] = [];
  if (LOA_RANK[evidence.levelOfAssurance] < LOA_RANK[procedure.requiredLevelOfAssurance]) {
    reasons.push(
      `procedure ${procedure.procedureId} requires identification at level of assurance '${procedure.requiredLevelOfAssurance}' (eIDAS); ` +
        `the application was identified at '${evidence.levelOfAssurance}'. Please identify with the online ID card (eID) or an ELSTER certificate.`,
    );
  }
  if (procedure.writtenFormRequired && !(WRITTEN_FORM_MEANS as readonly string[]).includes(evidence.writtenForm.means)) {
    reasons.push(
      `procedure ${procedure.procedureId} requires the written form (§ 3a VwVfG), which this application does not meet` +
        `${evidence.writtenForm.detail ? ` (${evidence.writtenForm.detail})` : ''}. Accepted are: a qualified electronic signature, ` +
        `the authority's online form used with the eID function, sending from a beA/beBPo/eBO mailbox, or the signed paper form.`,
    );
  }
  return reasons;
}

/** Combines held evidence with a follow-up: the stronger level and any written form that is met win. */
export function mergeEvidence(held: CaseEvidence, followUp: Partial<CaseEvidence>): CaseEvidence {
  const level =
    followUp.levelOfAssurance && LOA_RANK[followUp.levelOfAssurance] > LOA_RANK[held.levelOfAssurance]
      ? followUp.levelOfAssurance
      : held.levelOfAssurance;
  const meets = (w?: WrittenFormEvidenceDto) => !!w && (WRITTEN_FORM_MEANS as readonly string[]).includes(w.means);
  const writtenForm =
    !meets(held.writtenForm) && followUp.writtenForm && meets(followUp.writtenForm) ? followUp.writtenForm : held.writtenForm;
  return { levelOfAssurance: level, writtenForm };
}

/** A follow-up's evidence as it arrives on `cases.evidence.v1`. */
export interface EvidenceFollowUp {
  writtenForm: WrittenFormEvidenceDto;
  levelOfAssurance?: LevelOfAssurance | undefined;
  attachments?: AttachmentRefDto[] | undefined;
}

/** The case with a follow-up applied: the stronger evidence wins ({@link mergeEvidence}) and its attachments are added. */
export function applyEvidence(kase: CaseV1, followUp: EvidenceFollowUp): CaseV1 {
  const merged = mergeEvidence(kase, {
    writtenForm: followUp.writtenForm,
    ...(followUp.levelOfAssurance ? { levelOfAssurance: followUp.levelOfAssurance } : {}),
  });
  return { ...kase, ...merged, attachments: [...kase.attachments, ...(followUp.attachments ?? [])] };
}
