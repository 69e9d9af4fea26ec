import { IsOptional, Matches } from 'class-validator';
import { toProblem } from './problem-details.filter';
import { InvalidQueryException, encodeCursor, pageOf, pageRequestOf, validateQuery } from './paging';

class Filter {
  @IsOptional() @Matches(/^\d{14}$/) service?: string;
  @IsOptional() limit?: string;
  @IsOptional() cursor?: string;
}

const shape = ['timestamp', 'uuid'] as const;
const bounds = { byDefault: 25, max: 100 };
const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return toProblem(error);
  }
  throw new Error('expected the call to fail');
};

describe('keyset paging of list requests', () => {
  it('defaults the limit and starts at the first page', () => {
    expect(pageRequestOf({}, shape, bounds)).toEqual({ limit: 25, after: null });
  });

  it('hands back the cursor of the last row shown, only when more rows exist', () => {
    const rows = ['a', 'b', 'c'].map((id, i) => ({ id, at: `2024-01-0${i + 1}T00:00:00.000001Z` }));
    const key = (r: { id: string; at: string }) => [r.at, '3f2a9c1b-1111-4aaa-8bbb-12345678900' + r.id];
    const first = pageOf(rows, 2, key);
    expect(first.items.map((r) => r.id)).toEqual(['a', 'b']);
    expect(pageRequestOf({ cursor: first.nextCursor!, limit: '2' }, shape, bounds)).toEqual({ limit: 2, after: key(rows[1]!) });
    expect(pageOf(rows, 3, key).nextCursor).toBeNull();
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ cursor: encodeCursor(['yesterday', '3f2a9c1b-1111-4aaa-8bbb-123456789abc']) }, 'cursor'],
    [{ cursor: encodeCursor(['2024-01-01T00:00:00Z', "1' OR '1'='1"]) }, 'cursor'],
  ])('refuses %j with 400 naming the field', (query, field) => {
    const problem = problemOf(() => pageRequestOf(query, shape, bounds));
    expect(problem).toMatchObject({ status: 400, type: expect.stringMatching(/invalid-query$/) as string, errors: [{ field }] });
  });

  it('answers 400 for a bad or unknown filter, with every field named', () => {
    expect(() => validateQuery(Filter, { service: '123' })).toThrow(InvalidQueryException);
    const problem = problemOf(() => validateQuery(Filter, { service: '123', colour: 'red' }));
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['colour', 'service']);
    expect(validateQuery(Filter, { service: '99050012104000' }).service).toBe('99050012104000');
  });
});
