import { validateContract, SubmissionV1, CaseV1 } from '@poststelle/contracts';
import { portalSubmission } from '@poststelle/testing';
import { assembleCase, assessWrittenForm, duplicateFingerprint } from './case-assembly';

const SEALED = { indexSealed: true, indexSealValid: true, indexSealTrusted: true };
/** A channel client allowed to assert eID and level, handing in a scan batch whose seal intake verified. */
const TRUSTED = { unsealedScanSignatures: false, mayAssert: ['eid', 'levelOfAssurance'], scanSealVerifiedByIntake: true };
const IDS = { submissionId: '9b2d3c1e-1111-4aaa-8bbb-123456789abc' };
const scan = (handwrittenSignature: boolean, seal: Partial<typeof SEALED> = SEALED) => ({
  kind: 'scan' as const,
  scan: {
    batchId: 'B-1',
    scanCentre: 'Scanzentrum Nord',
    scannedAt: '2026-11-20T08:00:00Z',
    operator: 'op-7',
    scannerProfile: 'tr-resiscan-300',
    resolutionDpi: 300,
    transferNote: 'Transfervermerk 1',
    indexSha512: 'b'.repeat(128),
    handwrittenSignature,
    ...seal,
  },
});

describe('written form (§ 3a VwVfG) from channel evidence', () => {
  it.each([
    ['paper with handwritten signature, index sealed by a trusted scan centre', scan(true), 'none', true, 'handwritten-signature'],
    ['paper with handwritten signature, index not sealed', scan(true, {}), 'none', false, 'none'],
    [
      'paper with handwritten signature, seal valid but untrusted',
      scan(true, { ...SEALED, indexSealTrusted: false }),
      'none',
      false,
      'none',
    ],
    ['paper with handwritten signature, seal broken', scan(true, { ...SEALED, indexSealValid: false }), 'none', false, 'none'],
    ['paper without signature', scan(false), 'none', false, 'none'],
    [
      'portal with eID at level high',
      { kind: 'portal', portal: { portalId: 'p', authenticationMethod: 'bundid-eid' } },
      'high',
      true,
      'eid-authority-form',
    ],
    [
      'portal with username/password',
      { kind: 'portal', portal: { portalId: 'p', authenticationMethod: 'bundid-password' } },
      'none',
      false,
      'none',
    ],
    [
      'portal claiming eID below level high',
      { kind: 'portal', portal: { portalId: 'p', authenticationMethod: 'bundid-eid' } },
      'substantial',
      false,
      'none',
    ],
    ['plain email', { kind: 'email', email: { rawMessageSha512: 'a'.repeat(128) } }, 'none', false, 'none'],
    [
      // A valid S/MIME signature by a trusted signer is still not a qualified electronic signature (§ 3a VwVfG).
      'email with a verified, trusted S/MIME signature',
      {
        kind: 'email',
        email: {
          rawMessageSha512: 'a'.repeat(128),
          signature: 'smime',
          signatureVerified: true,
          signatureValid: true,
          certificateTrusted: true,
        },
      },
      'none',
      false,
      'none',
    ],
  ] as const)('%s', (_name, channel, loa, satisfied, means) => {
    const result = assessWrittenForm(channel as never, loa, TRUSTED);
    expect(result).toMatchObject({ satisfied, means });
  });

  it('does not believe seal flags the sender wrote into a JSON submission, only a seal intake verified itself', () => {
    expect(assessWrittenForm(scan(true), 'none', { unsealedScanSignatures: false })).toMatchObject({ satisfied: false, means: 'none' });
    expect(assessWrittenForm(scan(true), 'none', { ...TRUSTED, mayAssert: [] })).toMatchObject({ satisfied: true });
  });

  it('holds an eID claim from a channel client not allowed to assert it', () => {
    const portal = { kind: 'portal' as const, portal: { portalId: 'p', authenticationMethod: 'bundid-eid' } };
    expect(assessWrittenForm(portal, 'high', { unsealedScanSignatures: false, mayAssert: ['levelOfAssurance'] })).toMatchObject({
      satisfied: false,
      means: 'none',
      detail: expect.stringMatching(/not allowed to assert/) as unknown,
    });
  });

  it('counts an unsealed handwritten signature only where the authority chose to (SCAN_UNSEALED_SIGNATURES_SATISFY_WRITTEN_FORM)', () => {
    expect(assessWrittenForm(scan(true, {}), 'none', { unsealedScanSignatures: true })).toMatchObject({
      satisfied: true,
      means: 'handwritten-signature',
    });
    expect(assessWrittenForm(scan(true, {}), 'none').detail).toMatch(/not sealed by a trusted scan centre/);
  });
});

describe('case assembly', () => {
  it('builds a canonical case that passes the same contract every consumer validates', () => {
    const submission = validateContract(
      SubmissionV1,
      portalSubmission({ additionalReferenceInfo: { senderReference: 'AZ-77', applicationDate: '2026-11-01' } }),
    );
    const kase = assembleCase(
      submission,
      { submissionId: '9b2d3c1e-1111-4aaa-8bbb-123456789abc' },
      { sha512: 'c'.repeat(128) },
      [],
      new Date('2026-11-23T10:00:00Z'),
      undefined,
      TRUSTED,
    );
    const validated = validateContract(CaseV1, JSON.parse(JSON.stringify(kase)));
    expect(validated.service).toEqual({
      leikaKey: '99050012104000',
      identifier: 'urn:de:fim:leika:leistung:99050012104000',
      name: 'Bewohnerparkausweis',
    });
    expect(validated.senderReference).toBe('AZ-77');
    expect(validated.applicationDate).toBe('2026-11-01');
    expect(validated.levelOfAssurance).toBe('high');
    expect(validated.writtenForm.means).toBe('eid-authority-form');
  });

  it('gives email and paper no eIDAS level even if the sender claims one', () => {
    const submission = validateContract(SubmissionV1, portalSubmission({ channel: scan(true), levelOfAssurance: 'high' }));
    const kase = assembleCase(
      submission,
      { submissionId: '9b2d3c1e-1111-4aaa-8bbb-123456789abc' },
      { sha512: 'c'.repeat(128) },
      [],
      new Date(),
    );
    expect(kase.levelOfAssurance).toBe('none');
  });

  it('carries form data held in the blob store by reference only, never inline', () => {
    const submission = validateContract(SubmissionV1, portalSubmission());
    const contentRef = { blobRef: `blob:sha512:${'d'.repeat(128)}`, sha512: 'd'.repeat(128), sizeBytes: 2 * 1024 * 1024 };
    const kase = assembleCase(
      submission,
      { submissionId: '9b2d3c1e-1111-4aaa-8bbb-123456789abc' },
      { sha512: 'd'.repeat(128), contentRef },
      [],
      new Date(),
    );
    const validated = validateContract(CaseV1, JSON.parse(JSON.stringify(kase)));
    expect(validated.formData.contentRef).toEqual(contentRef);
    expect(validated.formData.content).toBeUndefined();
    expect(Object.keys(kase.formData)).not.toContain('content');
  });
});

describe('trust from the channel client, not the payload', () => {
  const submission = validateContract(SubmissionV1, portalSubmission());

  it('keeps the claimed level and eID form from a client allowed to assert them', () => {
    const kase = assembleCase(submission, IDS, { sha512: 'c'.repeat(128) }, [], new Date(), undefined, TRUSTED);
    expect(kase.levelOfAssurance).toBe('high');
    expect(kase.writtenForm).toMatchObject({ satisfied: true, means: 'eid-authority-form' });
  });

  it('gives the same claim from a client without assert rights level none and no written form', () => {
    const kase = assembleCase(submission, IDS, { sha512: 'c'.repeat(128) }, [], new Date(), undefined, {
      unsealedScanSignatures: false,
      mayAssert: [],
    });
    expect(kase.levelOfAssurance).toBe('none');
    expect(kase.writtenForm).toMatchObject({ satisfied: false, means: 'none' });
  });

  it('believes the level but not the eID claim from a client allowed to assert only the level', () => {
    const kase = assembleCase(submission, IDS, { sha512: 'c'.repeat(128) }, [], new Date(), undefined, {
      unsealedScanSignatures: false,
      mayAssert: ['levelOfAssurance'],
    });
    expect(kase.levelOfAssurance).toBe('high');
    expect(kase.writtenForm.satisfied).toBe(false);
  });
});

describe('duplicate fingerprint across channels', () => {
  const base = {
    applicant: {
      kind: 'natural' as const,
      givenName: 'Erika',
      familyName: 'Mustermann',
      address: { postalCode: '14467', city: 'Potsdam' },
    },
    service: { leikaKey: '99050012104000', identifier: 'urn:de:fim:leika:leistung:99050012104000' },
    tenant: { ars: '120540000000' },
  };

  it('is the same for the same applicant however the name was typed', () => {
    const other = { ...base, applicant: { ...base.applicant, givenName: ' erika ', familyName: 'MUSTERMANN' } };
    expect(duplicateFingerprint(other)).toBe(duplicateFingerprint(base));
  });

  it('differs for another service, another authority or another person', () => {
    const fp = duplicateFingerprint(base);
    expect(duplicateFingerprint({ ...base, service: { ...base.service, leikaKey: '99041006000000' } })).not.toBe(fp);
    expect(duplicateFingerprint({ ...base, tenant: { ars: '120600000000' } })).not.toBe(fp);
    expect(duplicateFingerprint({ ...base, applicant: { ...base.applicant, givenName: 'Max' } })).not.toBe(fp);
  });

  it('does not guess when the applicant is not identified well enough', () => {
    expect(duplicateFingerprint({ ...base, applicant: { kind: 'natural' } })).toBeUndefined();
    expect(duplicateFingerprint({ ...base, applicant: { kind: 'natural', givenName: 'Erika', familyName: 'Mustermann' } })).toBeUndefined();
  });
});
