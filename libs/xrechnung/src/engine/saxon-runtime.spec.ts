import { SaxonJS, saxonJsPatched } from './saxon-runtime';

describe('saxon-runtime', () => {
  it('applies the memoized SEF walk to the pinned saxon-js (re-check saxon-runtime.ts when this fails)', () => {
    expect(saxonJsPatched).toBe(true);
  });

  it('still runs XPath', () => {
    expect(SaxonJS.XPath.evaluate('1 + 1', null, {})).toBe(2);
  });
});
