import { typedErrors, type HttpStatus } from '@poststelle/platform';

export enum RoutingErrorCode {
  DecisionNotFound = 'ROUTING_DECISION_NOT_FOUND',
  QueueItemNotFound = 'MANUAL_ROUTING_ITEM_NOT_FOUND',
  QueueItemResolved = 'MANUAL_ROUTING_ITEM_ALREADY_RESOLVED',
  ProcedureNotFound = 'PROCEDURE_NOT_FOUND',
  RuleNotFound = 'ROUTING_RULE_NOT_FOUND',
  InvalidRequest = 'INVALID_REQUEST',
  BundleNotFound = 'BUNDLE_NOT_FOUND',
  /** The procedure's Kafka topics could not be created (broker unreachable): try again later. */
  ProcedureTopicsUnavailable = 'PROCEDURE_TOPICS_UNAVAILABLE',
  /** A change names a region (ARS) or an object of a tenant the caller does not administer. */
  ForeignTenant = 'FOREIGN_TENANT',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<RoutingErrorCode, HttpStatus> = {
  [RoutingErrorCode.DecisionNotFound]: 404,
  [RoutingErrorCode.QueueItemNotFound]: 404,
  [RoutingErrorCode.QueueItemResolved]: 409,
  [RoutingErrorCode.ProcedureNotFound]: 422,
  [RoutingErrorCode.RuleNotFound]: 404,
  [RoutingErrorCode.InvalidRequest]: 422,
  [RoutingErrorCode.BundleNotFound]: 404,
  [RoutingErrorCode.ProcedureTopicsUnavailable]: 503,
  [RoutingErrorCode.ForeignTenant]: 403,
};

export const RoutingException = typedErrors('RoutingException', STATUS);
export type RoutingException = InstanceType<typeof RoutingException>;
