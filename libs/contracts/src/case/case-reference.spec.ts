import { randomUUID } from 'node:crypto';
import { CASE_REFERENCE_EXAMPLE, CASE_REFERENCE_PATTERN, caseReferenceOf, findCaseReferences, keyOfCaseReference } from './case-reference';

describe('case references', () => {
  it('formats 16 hex digits of the case id (without the version digit) and a check character', () => {
    const ref = caseReferenceOf('3f2a9c1b-1111-4aaa-8bbb-123456789abc');
    expect(ref).toBe(CASE_REFERENCE_EXAMPLE);
    expect(ref).toMatch(CASE_REFERENCE_PATTERN);
    expect(keyOfCaseReference(ref)).toBe('3F2A9C1B1111AAA8');
  });

  it('finds references in text, in any case, and only those whose check character is right', () => {
    const ref = caseReferenceOf(randomUUID());
    expect(findCaseReferences(`Re: Ihr Antrag ${ref}`, `siehe ${ref.toLowerCase()}`)).toEqual([ref]);
    expect(findCaseReferences('Re: Ihr Antrag PS-3F2A9C1B (old 8-digit form)')).toEqual([]);
  });

  it('refuses every single mistyped character, and nearly every swap of two neighbouring characters', () => {
    let swaps = 0;
    let swapsCaught = 0;
    for (let n = 0; n < 300; n += 1) {
      const ref = caseReferenceOf(randomUUID());
      const chars = [...ref];
      const positions = chars.map((c, i) => (i > 2 && c !== '-' ? i : -1)).filter((i) => i >= 0);
      for (const i of positions) {
        for (const d of '0123456789ABCDEF') {
          if (d === chars[i]) continue;
          const typo = [...chars];
          typo[i] = d;
          expect(keyOfCaseReference(typo.join(''))).toBeUndefined();
        }
      }
      for (const [a, b] of positions.slice(1).map((p, k) => [positions[k]!, p] as const)) {
        if (chars[a] === chars[b]) continue;
        const swapped = [...chars];
        [swapped[a], swapped[b]] = [chars[b]!, chars[a]!];
        swaps += 1;
        if (keyOfCaseReference(swapped.join('')) === undefined) swapsCaught += 1;
      }
    }
    // ISO 7064 MOD 17,16 catches every substitution and about 99 % of neighbour swaps.
    expect(swapsCaught / swaps).toBeGreaterThan(0.98);
  });
});
