import { XRechnungValidator } from '../src/engine/xrechnung-validator';
import { listXml } from './testdata';
import { expandMutants } from './xmute';

// KoSIT's Schematron unit tests: every <?xmute?> PI expanded into a mutant must fire exactly the XRechnung rules
// it expects (schematron-invalid) and none it forbids (schematron-valid).
const mutants = [...listXml('mutants/ubl-inv'), ...listXml('mutants/cii')].flatMap((f) => expandMutants(f));

jest.setTimeout(60_000);

describe('XRechnung Schematron mutants (KoSIT xrechnung-schematron test instances)', () => {
  let validator: XRechnungValidator;
  beforeAll(async () => {
    validator = await XRechnungValidator.start({ workers: 2 });
  }, 120_000);
  afterAll(() => validator?.close());

  it('expands every PI of both syntaxes', () => {
    expect(mutants.length).toBeGreaterThanOrEqual(772);
  });

  it.each(mutants.map((m) => [m.name, m] as const))('%s', async (_name, mutant) => {
    const report = await validator.validate(mutant.xml);
    const fired = new Set(report.findings.filter((f) => f.layer === 'xrechnung').map((f) => f.ruleId));
    expect({ missing: mutant.mustFire.filter((r) => !fired.has(r)), unexpected: mutant.mustNotFire.filter((r) => fired.has(r)) }).toEqual({
      missing: [],
      unexpected: [],
    });
  });
});
