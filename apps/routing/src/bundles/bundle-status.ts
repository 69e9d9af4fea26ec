import { type CaseStatus } from '@poststelle/contracts';

/** A sub-case's status: what its back office last reported, SUBMITTED before that. */
export type SubCaseStatus = CaseStatus | 'SUBMITTED';
export type BundleStatus = 'SUBMITTED' | 'PROCESSING' | 'ACTION_REQUIRED' | 'COMPLETED' | 'PARTIALLY_COMPLETED' | 'REJECTED';

/**
 * The status the applicant sees for the whole life-event application. Anything that needs the applicant wins;
 * the bundle is complete only when every sub-case is decided.
 */
export function aggregateBundleStatus(size: number, statuses: SubCaseStatus[]): BundleStatus {
  if (statuses.includes('ACTION_REQUIRED')) return 'ACTION_REQUIRED';
  const decided = statuses.filter((s) => s === 'COMPLETED' || s === 'REJECTED');
  if (statuses.length === size && decided.length === size) {
    if (decided.every((s) => s === 'COMPLETED')) return 'COMPLETED';
    if (decided.every((s) => s === 'REJECTED')) return 'REJECTED';
    return 'PARTIALLY_COMPLETED';
  }
  return statuses.some((s) => s !== 'SUBMITTED') ? 'PROCESSING' : 'SUBMITTED';
}
