// Decorator metadata (design:type) must be recorded before any config or contract class is defined.
import 'reflect-metadata';
export { loadConfig, ConfigError } from './config/load-config';
export { ServiceEnv, platformSettings, type PlatformSettings } from './config/service-env';
export { ServiceException, PROBLEM_BASE, type ProblemDetails } from './http/problem';
export {
  typedErrors,
  type HttpStatus,
  type ProblemExtensions,
  type ServiceExceptionBase,
  type TypedError,
  type TypedErrorClass,
} from './http/typed-errors';
export { ProblemDetailsFilter, toProblem } from './http/problem-details.filter';
export { PlatformModule, type PlatformModuleOptions } from './nest/platform.module';
export { NestJsonLogger, bootstrapService, keepRawBody, type RawBodyRequest } from './nest/bootstrap';
export {
  BodyErrorCode,
  JSON_MEDIA_TYPES,
  bodyParserProblem,
  describeJsonSyntaxError,
  firstInvalidUtf8Offset,
  formatJsonSyntaxLocation,
  invalidUtf8,
  malformedJson,
  payloadTooLarge,
  unsupportedMediaType,
  type JsonSyntaxLocation,
} from './http/body-errors';
export { BLOB_STORE, PLATFORM_SETTINGS } from './nest/tokens';
export { MAILER, SmtpMailer, UnconfiguredMailer, mailerFor, type Mailer, type OutgoingMail, type SmtpRelaySettings } from './mail/mailer';
export { SmtpRelayEnv, smtpRelaySettings } from './mail/smtp-relay-env';
export {
  PendingMailDispatcher,
  type PendingMail,
  type MailRetryPolicy,
  type FailedAttempt,
  type OutgoingMailSettings,
} from './mail/pending-mail-dispatcher';
export { PollingLoop } from './jobs/polling-loop';
export { PERMISSIONS, ROLES, ROLE_PERMISSIONS, permissionsOf, type PermissionName, type RoleName } from './auth/permissions';
export { Permission, Public, CurrentPrincipal, type Principal, type AuthenticatedRequest } from './auth/principal';
export { TokenVerifier, AuthenticationError, ACCEPTED_ALGORITHMS, type AuthSettings } from './auth/token-verifier';
export { AccessGuard } from './auth/access.guard';
export { undeclaredRoutes } from './auth/access-policy.check';
export {
  ALL_TENANTS,
  auditScopeOf,
  scopeCovers,
  significantPrefix,
  tenantPrefixesOf,
  tenantScopeOf,
  tenantScopeParam,
  tenantScopeSql,
  type TenantScope,
} from './auth/tenant-scope';
export {
  InvalidQueryException,
  NEXT_CURSOR_HEADER,
  QUEUE_PAGE,
  QueryErrorCode,
  cursorTimeSql,
  encodeCursor,
  pageOf,
  pageRequestOf,
  queuePageWithHeader,
  validateQuery,
  type KeyPart,
  type Page,
  type PageRequest,
  type QueueCounts,
  type QueueSummary,
} from './http/paging';
export { QueueBoard, type QueueCounter } from './nest/queue-board';
