/**
 * The intake core: what every channel shares. Channels (`../channels/*`) and case tracking (`../cases`) import only
 * from here (ADR 0017; eslint.config.mjs enforces it).
 */
export { INTAKE_SETTINGS, type IntakeSettings } from '../intake.config';
export * from './access';
export * from './content';
export { applicationFormOf, type ApplicationForm } from './content/application-form';
export { certificateFacts, cmsDer, filesIn, loadTrustStore, verifyCmsSignature } from './content/cms-signature';
export type { CertificateFacts, CmsFailure, CmsVerification, CmsVerifyOptions } from './content/cms-signature';
export { sha512Hex } from './hashing';
export { isCollectionPost, type HttpMount } from './http-mount';
export {
  channelErrors,
  IntakeError,
  IntakeErrorCode,
  IntakeException,
  isCoreRefusal,
  isInputRejection,
  refusalOf,
} from './intake.exception';
export { RejectedInputsRepository, type Rejection } from './rejected-inputs/rejected-inputs.repository';
export { AcceptSubmissionUseCase, type AcceptedSubmission } from './submission/accept-submission.use-case';
export { SubmissionCommand, type AcceptSubmissionCommand } from './submission/submission.command';
export { assessWrittenForm, levelOfAssuranceFor, type WrittenFormTrust } from './submission/case-assembly';
export { ACCEPTED_JSON_TYPES, originalOf, parseJsonObject, receivedBody, type ReceivedBody } from './submission/json-body';
export { CoreModule } from './core.module';
