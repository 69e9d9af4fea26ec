import { Injectable } from '@nestjs/common';
import { caseReferenceOf, keyOfCaseReference } from '@poststelle/contracts';
import { InvalidQueryException, pageOf, pageRequestOf, validateQuery, type Page, type Principal } from '@poststelle/platform';
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

/**
 * `GET /v1/cases`: the caller's tenants' cases matching every filter given, newest first, one page at a time (keyset
 * cursor). Bad filters answer 400 naming each field; the tenant scope is part of the query whatever the filters say.
 */
@Injectable()
export class SearchCasesUseCase {
  constructor(private readonly cases: CasesRepository) {}

  async execute(query: unknown, principal: Principal | undefined): Promise<Page<CaseListItem>> {
    const { limit, cursor, reference, ...filter } = validateQuery(CaseSearchQuery, query);
    const page = pageRequestOf({ limit, cursor }, ['timestamp', 'uuid'], CASE_PAGE);
    const referenceKey = reference === undefined ? undefined : keyOfCaseReference(reference);
    if (reference !== undefined && !referenceKey) {
      throw new InvalidQueryException([{ field: 'reference', message: 'the check character does not match: the reference is mistyped' }]);
    }
    if (filter.receivedFrom && filter.receivedTo && Date.parse(filter.receivedFrom) > Date.parse(filter.receivedTo)) {
      throw new InvalidQueryException([{ field: 'receivedTo', message: 'must not be before receivedFrom' }]);
    }
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
