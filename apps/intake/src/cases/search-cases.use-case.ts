import { Injectable } from '@nestjs/common';
import { caseReferenceOf, keyOfCaseReference, type FieldError } from '@poststelle/contracts';
import {
  InvalidQueryException,
  pageOf,
  pageRequestOf,
  validateQuery,
  type Page,
  type PageRequest,
  type Principal,
} from '@poststelle/platform';
import { readScopeOf } from '../core';
import { CaseSearchQuery, type CaseState } from './case-search.request';
import { CasesRepository } from './cases.repository';

export interface CaseListItem {
  caseId: string;
  reference: string;
  tenant: string;
  service: string;
  channel: string;
  status: CaseState;
  receivedAt: Date;
  senderReference?: string;
}

/** Page size of the case search: 25 unless asked, at most 100. */
export const CASE_PAGE = { byDefault: 25, max: 100 } as const;

/** Every problem of the query at once (filters, paging, the reference's check character, the time range), or 400. */
function parseSearch(query: unknown): { q: CaseSearchQuery; page: PageRequest; referenceKey: string | undefined } {
  const errors: FieldError[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof InvalidQueryException)) throw error;
      errors.push(...error.errors);
      return undefined;
    }
  };
  const q = attempt(() => validateQuery(CaseSearchQuery, query));
  const raw = (query ?? {}) as { limit?: unknown; cursor?: unknown };
  const page = attempt(() => pageRequestOf({ limit: raw.limit, cursor: raw.cursor }, ['timestamp', 'uuid'], CASE_PAGE));
  const referenceKey = q?.reference === undefined ? undefined : keyOfCaseReference(q.reference);
  if (q?.reference !== undefined && !referenceKey) {
    errors.push({ field: 'reference', message: 'the check character does not match: the reference is mistyped' });
  }
  if (q?.receivedFrom && q.receivedTo && Date.parse(q.receivedFrom) > Date.parse(q.receivedTo)) {
    errors.push({ field: 'receivedTo', message: 'must not be before receivedFrom' });
  }
  if (errors.length > 0 || !q || !page) throw new InvalidQueryException(errors);
  return { q, page, referenceKey };
}

/**
 * `GET /v1/cases`: the caller's tenants' cases matching every filter given, newest first, one page at a time (keyset
 * cursor). Bad filters answer 400 naming each field; the tenant scope is part of the query whatever the filters say.
 */
@Injectable()
export class SearchCasesUseCase {
  constructor(private readonly cases: CasesRepository) {}

  async execute(query: unknown, principal: Principal | undefined): Promise<Page<CaseListItem>> {
    const { q, page, referenceKey } = parseSearch(query);
    const { limit: _limit, cursor: _cursor, reference: _reference, ...filter } = q;
    const rows = await this.cases.search({ ...filter, ...(referenceKey ? { referenceKey } : {}) }, readScopeOf(principal), page);
    return pageOf(
      rows,
      page.limit,
      (r) => [r.cursorAt, r.caseId],
      (r) => ({
        caseId: r.caseId,
        reference: caseReferenceOf(r.caseId),
        tenant: r.tenant,
        service: r.service,
        channel: r.channel,
        status: r.status,
        receivedAt: r.receivedAt,
        ...(r.senderReference !== null ? { senderReference: r.senderReference } : {}),
      }),
    );
  }
}
