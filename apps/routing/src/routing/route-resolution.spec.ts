import { resolveRoute, type RuleCandidate } from './route-resolution';

/** Deterministic pseudo-random numbers, so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const LENGTHS = [2, 3, 5, 9, 12];

describe('routing: most specific ARS prefix wins', () => {
  it('picks the rule with the longest matching prefix, over many random regions and rule sets', () => {
    for (let seed = 1; seed <= 500; seed += 1) {
      const rand = rng(seed);
      const digit = () => String(Math.floor(rand() * 3)); // few digits → many shared prefixes
      const ars = Array.from({ length: 12 }, digit).join('');
      const rules: RuleCandidate[] = Array.from({ length: 1 + Math.floor(rand() * 12) }, (_, i) => {
        const len = LENGTHS[Math.floor(rand() * LENGTHS.length)]!;
        // Half the rules are built from the region itself so they match.
        const prefix = rand() < 0.5 ? ars.slice(0, len) : Array.from({ length: len }, digit).join('');
        return { ruleId: `r${i}`, version: 1, arsPrefix: prefix, procedureId: `p${i}` };
      });

      const matching = rules.filter((r) => ars.startsWith(r.arsPrefix));
      const best = Math.max(0, ...matching.map((r) => r.arsPrefix.length));
      const winners = matching.filter((r) => r.arsPrefix.length === best);
      const result = resolveRoute('99050012104000', ars, rules);

      if (matching.length === 0) {
        expect({ seed, kind: result.kind }).toEqual({ seed, kind: 'no-rule' });
      } else if (new Set(winners.map((w) => w.procedureId)).size > 1) {
        expect({ seed, kind: result.kind }).toEqual({ seed, kind: 'ambiguous' });
      } else {
        expect(result.kind).toBe('routed');
        if (result.kind === 'routed') expect({ seed, prefix: result.rule.arsPrefix }).toEqual({ seed, prefix: winners[0]!.arsPrefix });
      }
    }
  });

  it('counts only the latest version of a rule', () => {
    const rules: RuleCandidate[] = [
      { ruleId: 'r', version: 1, arsPrefix: '12', procedureId: 'old' },
      { ruleId: 'r', version: 2, arsPrefix: '12', procedureId: 'new' },
    ];
    const result = resolveRoute('99050012104000', '120540000000', rules);
    expect(result.kind === 'routed' && result.rule).toMatchObject({ version: 2, procedureId: 'new' });
  });

  it('lets a new version that moves a rule to another region supersede the old one', () => {
    const rules: RuleCandidate[] = [
      { ruleId: 'r', version: 1, arsPrefix: '12', procedureId: 'state' },
      { ruleId: 'r', version: 2, arsPrefix: '12054', procedureId: 'state' },
    ];
    expect(resolveRoute('99050012104000', '120600000000', rules).kind).toBe('no-rule');
    expect(resolveRoute('99050012104000', '120540000000', rules).kind).toBe('routed');
  });

  it('ignores rules of switched-off procedures', () => {
    const rules: RuleCandidate[] = [
      { ruleId: 'a', version: 1, arsPrefix: '12054', procedureId: 'off', active: false },
      { ruleId: 'b', version: 1, arsPrefix: '12', procedureId: 'state' },
    ];
    const result = resolveRoute('99050012104000', '120540000000', rules);
    expect(result.kind === 'routed' && result.rule.procedureId).toBe('state');
  });

  it('explains the decision in words', () => {
    const result = resolveRoute('99050012104000', '120540000000', [{ ruleId: 'bb', version: 3, arsPrefix: '12054', procedureId: 'kfz' }]);
    expect(result.explanation).toBe(
      'service 99050012104000 in region 120540000000: rule bb (version 3) for region prefix 12054 (5 digits, the most specific entry) names procedure kfz',
    );
    expect(resolveRoute('99050012104000', '120540000000', []).explanation).toMatch(
      /^no routing rule for service 99050012104000 matches region 120540000000 \(tried prefixes 120540000000, 120540000, 12054, 120, 12\)$/,
    );
  });
});
