import { type LevelOfAssurance, type WrittenFormEvidenceDto } from '@poststelle/contracts';
import { mergeEvidence, missingEvidence } from './evidence-requirements';

type Means = WrittenFormEvidenceDto['means'];
const evidence = (means: Means, levelOfAssurance: LevelOfAssurance = 'none') => ({
  levelOfAssurance,
  writtenForm: { means, satisfied: means !== 'none' },
});
const procedure = (writtenFormRequired: boolean, requiredLevelOfAssurance: LevelOfAssurance = 'none') => ({
  procedureId: 'p',
  writtenFormRequired,
  requiredLevelOfAssurance,
});

describe('§ 3a VwVfG matrix: evidence kind × procedure requirement', () => {
  // Means the law accepts for the written form of an application, and those it does not.
  const matrix: [Means, boolean][] = [
    ['qualified-electronic-signature', true],
    ['eid-authority-form', true],
    ['safe-mailbox', true],
    ['handwritten-signature', true],
    ['authority-seal', false], // only for the authority's own documents
    ['none', false], // e.g. a plain email
  ];

  it.each(matrix)('%s: written form required → routed only if the law accepts it (%s)', (means, accepted) => {
    expect(missingEvidence(evidence(means), procedure(true)).length === 0).toBe(accepted);
  });

  it.each(matrix)('%s: written form not required → always routed', (means) => {
    expect(missingEvidence(evidence(means), procedure(false))).toEqual([]);
  });

  it('does not trust a `satisfied` flag the means do not support', () => {
    const claimed = { levelOfAssurance: 'none' as const, writtenForm: { means: 'none' as const, satisfied: true } };
    expect(missingEvidence(claimed, procedure(true))).toHaveLength(1);
  });

  it.each([
    ['none', 'substantial', false],
    ['low', 'substantial', false],
    ['substantial', 'substantial', true],
    ['high', 'substantial', true],
    ['substantial', 'high', false],
  ] as const)('level of assurance %s against required %s → routed %s', (have, need, ok) => {
    expect(missingEvidence(evidence('none', have), procedure(false, need)).length === 0).toBe(ok);
  });

  it('names what is missing precisely', () => {
    const [reason] = missingEvidence(
      {
        levelOfAssurance: 'none',
        writtenForm: { means: 'none', satisfied: false, detail: 'a plain email never satisfies the written form' },
      },
      procedure(true),
    );
    expect(reason).toMatch(
      /requires the written form \(§ 3a VwVfG\).*a plain email never satisfies the written form.*qualified electronic signature/,
    );
  });

  it('takes the stronger evidence from a follow-up', () => {
    const merged = mergeEvidence(evidence('none', 'substantial'), {
      writtenForm: { means: 'handwritten-signature', satisfied: true },
      levelOfAssurance: 'low',
    });
    expect(merged).toEqual({ levelOfAssurance: 'substantial', writtenForm: { means: 'handwritten-signature', satisfied: true } });
    expect(mergeEvidence(evidence('safe-mailbox'), { writtenForm: { means: 'none', satisfied: false } }).writtenForm.means).toBe(
      'safe-mailbox',
    );
  });
});
