import { ContractValidationError, validateContract, type FieldError } from '@poststelle/contracts';
import { type ClassConstructor } from 'class-transformer';
import { ServiceException } from './problem';

/** Stable code (problem `type` …/invalid-query) of a list request whose query parameters are wrong. */
export enum QueryErrorCode {
  InvalidQuery = 'INVALID_QUERY',
}

/** 400 with the field errors of the query string (RFC 9457 `errors`). */
export class InvalidQueryException extends ServiceException {
  constructor(readonly errors: FieldError[]) {
    super(QueryErrorCode.InvalidQuery, 400, `${errors.length} query parameter(s) are invalid: ${errors.map((e) => e.field).join(', ')}`, {
      errors,
    });
  }
}

/** The query string as a validated class; any field error (or an unknown parameter) answers 400. */
export function validateQuery<T extends object>(cls: ClassConstructor<T>, query: unknown): T {
  try {
    return validateContract(cls, query ?? {});
  } catch (error) {
    if (error instanceof ContractValidationError) throw new InvalidQueryException(error.errors);
    throw error;
  }
}

/** The kinds of value a keyset cursor holds, checked before any of them reaches a query. */
export type KeyPart = 'timestamp' | 'uuid' | 'text';

/** One page of a list: at most `limit` rows after the row the cursor names (keyset paging, never an offset). */
export interface PageRequest {
  limit: number;
  /** The sort key of the last row of the previous page; null for the first page. */
  after: string[] | null;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, shape: readonly KeyPart[]): string[] | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length !== shape.length) return undefined;
    const ok = shape.every((kind, i) => {
      const v: unknown = key[i];
      if (typeof v !== 'string' || v.length > 200) return false;
      return kind === 'timestamp' ? TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)) : kind === 'uuid' ? UUID.test(v) : true;
    });
    return ok ? (key as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `limit` and `cursor` of a list request: `limit` a whole number 1..`max` (default `byDefault`), `cursor` one this
 * list issued (its key has `shape`). Either wrong answers 400 with the field named.
 */
export function pageRequestOf(
  query: { limit?: unknown; cursor?: unknown },
  shape: readonly KeyPart[],
  bounds: { byDefault: number; max: number },
): PageRequest {
  const errors: FieldError[] = [];
  let limit = bounds.byDefault;
  if (query.limit !== undefined) {
    const n = typeof query.limit === 'string' && /^\d{1,6}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(n >= 1 && n <= bounds.max)) errors.push({ field: 'limit', message: `must be a whole number from 1 to ${bounds.max}` });
    else limit = n;
  }
  let after: string[] | null = null;
  if (query.cursor !== undefined) {
    after = (typeof query.cursor === 'string' && decodeCursor(query.cursor, shape)) || null;
    if (!after) errors.push({ field: 'cursor', message: 'must be a nextCursor this list returned' });
  }
  if (errors.length > 0) throw new InvalidQueryException(errors);
  return { limit, after };
}

/** Page size of the work queues' lists (oldest first): 100 unless asked, at most 500 (what intake's list gave before). */
export const QUEUE_PAGE = { byDefault: 100, max: 500 } as const;

/** The page of rows fetched with `LIMIT limit + 1`: the extra row only says that there is a next page. */
export function pageOf<R, T = R>(rows: R[], limit: number, keyOf: (row: R) => string[], map?: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => (map ? map(r) : (r as unknown as T))),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/**
 * One page of a work queue for a list whose body stays a bare array (kept for old callers): `limit`/`cursor` checked
 * (400 otherwise), rows fetched with `LIMIT limit + 1`, the next cursor set as the `Next-Cursor` header, and the
 * cursor key (`cursorAt`) dropped from the items.
 */
export async function queuePageWithHeader<R extends { cursorAt: string }>(
  query: { limit?: unknown; cursor?: unknown },
  shape: readonly KeyPart[],
  fetch: (page: PageRequest) => Promise<R[]>,
  keyOf: (row: R) => string[],
  res: { setHeader(name: string, value: string): unknown },
): Promise<Omit<R, 'cursorAt'>[]> {
  const page = pageRequestOf(query, shape, QUEUE_PAGE);
  const { items, nextCursor } = pageOf(await fetch(page), page.limit, keyOf, ({ cursorAt: _, ...item }) => item);
  if (nextCursor) res.setHeader(NEXT_CURSOR_HEADER, nextCursor);
  return items;
}

/** A timestamp column as text with microseconds (UTC), for a cursor key: a JS Date would keep only milliseconds. */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The response header that carries the next cursor of lists whose body is a bare array (kept for old callers). */
export const NEXT_CURSOR_HEADER = 'Next-Cursor';

/** How many items wait in a queue and since when the oldest does; `deadlines` where a time limit applies (FIT-Connect). */
export interface QueueCounts {
  count: number;
  oldestAt: string | null;
  /** For the oldest item: when it must be alerted on and when it is rejected. */
  deadlines?: { alertAt: string; rejectAt: string };
}

/** One queue in a service's `GET /v1/queues/summary`. */
export interface QueueSummary extends QueueCounts {
  name: string;
}
