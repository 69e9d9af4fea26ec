import { leitwegCheckDigits, parseLeitwegId } from './leitweg-id';

describe('Leitweg-ID (ISO/IEC 7064 MOD 97-10)', () => {
  it.each(['04011000-1234512345-06', '991-33333TEST-33', '991-33333test-33', '04011000-06'.replace('06', leitwegCheckDigits('04011000'))])(
    'accepts %s',
    (id) => {
      const result = parseLeitwegId(id);
      expect(result).toMatchObject({ valid: true });
    },
  );

  it('splits coarse address, fine address and check digits', () => {
    expect(parseLeitwegId('04011000-1234512345-06')).toEqual({
      valid: true,
      id: { value: '04011000-1234512345-06', coarse: '04011000', fine: '1234512345', checkDigits: '06' },
    });
  });

  it.each(['04011000-1234512345-07', '991-33333TEST-34', '90000000-03083-12'])('rejects wrong check digits in %s', (id) => {
    expect(parseLeitwegId(id)).toMatchObject({ valid: false, reason: 'check-digits' });
  });

  it.each(['', '1-06', '1234567890123-06', '04011000-1234512345-6', '04011000_1234-06', '04011000-ÄBC-06', `991-${'A'.repeat(31)}-33`])(
    'rejects the malformed "%s"',
    (id) => {
      expect(parseLeitwegId(id)).toMatchObject({ valid: false, reason: 'format' });
    },
  );

  it('computes check digits that always make the whole number ≡ 1 (mod 97)', () => {
    for (const payload of ['991', '04011000', '1234567890ABCDEFGHIJ', '05315000']) {
      const digits = leitwegCheckDigits(payload);
      expect(parseLeitwegId(`${payload.slice(0, 3)}-${payload.slice(3) || 'X'}-${digits}`).valid).toBe(payload.length > 3);
    }
  });
});
