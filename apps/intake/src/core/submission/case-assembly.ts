import { createHash, randomUUID } from 'node:crypto';
import {
  type AttachmentRefDto,
  type BundleRefDto,
  type CaseV1,
  type ChannelDto,
  type FormDataRefDto,
  type LevelOfAssurance,
  type SubmissionV1,
  type WrittenFormEvidenceDto,
  leikaKeyFromUrn,
} from '@poststelle/contracts';

/**
 * What the channel evidence says about the written form (§ 3a VwVfG). A plain email never meets it; paper with a
 * handwritten signature does; a portal form used with the eID function (level high) does. Checking the result
 * against a procedure's requirement before routing is not built yet (issue: routing, written form).
 */
export interface WrittenFormTrust {
  /**
   * Whether a handwritten signature the scan centre reports counts without a valid, trusted seal over its batch index
   * (`SCAN_UNSEALED_SIGNATURES_SATISFY_WRITTEN_FORM`, default false): unsealed, the claim is only the index's word.
   */
  unsealedScanSignatures: boolean;
  /**
   * What the submitting channel client may assert (token claim `mayAssert`, ADR 0016): `eid`, `levelOfAssurance`.
   * Claims it may not make are not believed: the case carries level `none` and no eID written form.
   */
  mayAssert?: readonly string[];
  /**
   * The scan seal facts were established by intake itself (a scan batch whose seal intake verified); seal flags in a
   * JSON submission are the sender's word and never count.
   */
  scanSealVerifiedByIntake?: boolean;
}

const NO_TRUST: WrittenFormTrust = { unsealedScanSignatures: false };

export function assessWrittenForm(
  channel: ChannelDto,
  levelOfAssurance: LevelOfAssurance,
  trust: WrittenFormTrust = NO_TRUST,
): WrittenFormEvidenceDto {
  switch (channel.kind) {
    case 'scan': {
      const scan = channel.scan;
      if (!scan?.handwrittenSignature) return { means: 'none', satisfied: false, detail: 'scanned paper without handwritten signature' };
      const sealedByTrustedCentre =
        trust.scanSealVerifiedByIntake === true &&
        scan.indexSealed === true &&
        scan.indexSealValid === true &&
        scan.indexSealTrusted === true;
      if (!sealedByTrustedCentre && !trust.unsealedScanSignatures) {
        return {
          means: 'none',
          satisfied: false,
          detail: `paper with handwritten signature, scan batch ${scan.batchId}, but its index is not sealed by a trusted scan centre: the signature is not proven`,
        };
      }
      return { means: 'handwritten-signature', satisfied: true, detail: `paper with handwritten signature, scan batch ${scan.batchId}` };
    }
    case 'portal': {
      const eid = /eid/i.test(channel.portal?.authenticationMethod ?? '');
      if (eid && !(trust.mayAssert ?? []).includes('eid')) {
        return { means: 'none', satisfied: false, detail: 'portal submission claiming eID from a channel client not allowed to assert it' };
      }
      return eid && levelOfAssurance === 'high'
        ? { means: 'eid-authority-form', satisfied: true, detail: "authority's online form used with the eID function (level high)" }
        : { means: 'none', satisfied: false, detail: 'portal submission without eID identification' };
    }
    case 'email':
      return { means: 'none', satisfied: false, detail: 'a plain email never satisfies the written form' };
  }
}

/**
 * Level of assurance: asserted by the portal, believed only from a channel client allowed to assert it (otherwise
 * `none`); email and paper carry no eIDAS level.
 */
export function levelOfAssuranceFor(submission: SubmissionV1, mayAssert: readonly string[] = []): LevelOfAssurance {
  if (submission.channel.kind !== 'portal' || !mayAssert.includes('levelOfAssurance')) return 'none';
  return submission.levelOfAssurance ?? 'none';
}

function normalise(value: string | undefined): string {
  return (value ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Fingerprint for duplicate detection across channels: who (name and date of birth or postcode), which service,
 * which authority. Undefined when the applicant is not identified well enough to compare.
 */
export function duplicateFingerprint(kase: Pick<CaseV1, 'applicant' | 'service' | 'tenant'>): string | undefined {
  const a = kase.applicant;
  const who = a.kind === 'legal' ? [normalise(a.organisation)] : [normalise(a.familyName), normalise(a.givenName)];
  if (who.some((part) => part === '')) return undefined;
  const where = a.dateOfBirth ?? normalise(a.address?.postalCode);
  if (!where) return undefined;
  return createHash('sha256')
    .update(JSON.stringify([...who, where, kase.service.leikaKey, kase.tenant.ars]))
    .digest('hex');
}

/** The form data's hash, and its blob reference when it is too large to travel inline (then `content` is left out). */
export interface AssembledFormData {
  sha512: string;
  contentRef?: FormDataRefDto;
}

export function assembleCase(
  submission: SubmissionV1,
  ids: { caseId?: string; submissionId: string },
  form: AssembledFormData,
  attachments: AttachmentRefDto[],
  receivedAt: Date,
  bundle?: BundleRefDto,
  trust?: WrittenFormTrust,
): CaseV1 {
  const leikaKey = leikaKeyFromUrn(submission.publicServiceType.identifier);
  const levelOfAssurance = levelOfAssuranceFor(submission, trust?.mayAssert);
  return {
    caseId: ids.caseId ?? randomUUID(),
    submissionId: ids.submissionId,
    tenant: { ars: submission.tenant.ars },
    service: {
      leikaKey,
      identifier: submission.publicServiceType.identifier,
      ...(submission.publicServiceType.name ? { name: submission.publicServiceType.name } : {}),
    },
    channel: submission.channel,
    applicant: submission.applicant,
    formData: {
      schemaUri: submission.formData.schemaUri,
      mimeType: submission.formData.mimeType,
      sha512: form.sha512,
      ...(form.contentRef ? { contentRef: form.contentRef } : { content: submission.formData.content }),
    },
    attachments,
    levelOfAssurance,
    authenticationInformation: submission.authenticationInformation ?? [],
    writtenForm: assessWrittenForm(submission.channel, levelOfAssurance, trust),
    ...(submission.paymentInformation ? { paymentInformation: submission.paymentInformation } : {}),
    replyChannel: submission.replyChannel,
    ...(submission.additionalReferenceInfo?.senderReference ? { senderReference: submission.additionalReferenceInfo.senderReference } : {}),
    ...(submission.additionalReferenceInfo?.applicationDate ? { applicationDate: submission.additionalReferenceInfo.applicationDate } : {}),
    receivedAt: receivedAt.toISOString(),
    ...(bundle ? { bundle } : {}),
  };
}
