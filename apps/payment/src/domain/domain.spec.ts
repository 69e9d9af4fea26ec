import { findKassenzeichen, formatKassenzeichen, isValidKassenzeichen, mod11_10 } from './kassenzeichen';
import { fromUnits, normalizeAmount, toUnits } from './money';
import { nextState } from './payment-lifecycle';
import { actsFor, tenantPrefixes } from './tenant-scope';

describe('Kassenzeichen', () => {
  it('is region · year · number · ISO 7064 MOD 11,10 check digit', () => {
    const kz = formatKassenzeichen('120540000000', 2026, 42);
    expect(kz).toMatch(/^12054-2026-0000042-\d$/);
    expect(Number(kz.slice(-1))).toBe(mod11_10('1205420260000042'));
    expect(isValidKassenzeichen(kz)).toBe(true);
  });
  it('detects a wrong digit and swapped neighbours', () => {
    const kz = formatKassenzeichen('120540000000', 2026, 4217);
    const digits = kz.replace(/-/g, '');
    for (let i = 0; i < 16; i += 1) {
      const wrong = digits.slice(0, i) + String((Number(digits[i]) + 1) % 10) + digits.slice(i + 1);
      expect(isValidKassenzeichen(wrong)).toBe(false);
      if (digits[i] !== digits[i + 1] && i < 15) {
        const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
        expect(isValidKassenzeichen(swapped)).toBe(false);
      }
    }
  });
  it('is found in remittance text with spaces, split lines and amounts around it', () => {
    const kz = formatKassenzeichen('120540000000', 2026, 42);
    const spaced = kz.replace(/-/g, ' ').replace('0000042', '000 0042');
    expect(findKassenzeichen(`GEBUEHR KZ ${spaced} 30,50 EUR`)).toEqual([kz]);
    expect(findKassenzeichen(`Kassenzeichen${kz.replace(/-/g, '')}`)).toEqual([kz]);
    expect(findKassenzeichen('ORDER 4654654654654654 THANKS')).toEqual([]);
  });
});

describe('money', () => {
  it('computes exactly with up to five decimals', () => {
    expect(fromUnits(toUnits('0.1') + toUnits('0.2'))).toBe('0.30');
    expect(normalizeAmount('8.850')).toBe('8.85');
    expect(normalizeAmount('18.15001')).toBe('18.15001');
    expect(() => toUnits('1e3')).toThrow();
  });
});

describe('payment lifecycle', () => {
  const initial = { status: 'INITIAL' as const, amountDue: '30.50', amountPaid: '0.00' };
  it('books once: a second BOOKED answer changes nothing', () => {
    const booked = nextState(initial, { kind: 'provider-status', status: 'BOOKED' });
    expect(booked).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });
    expect(nextState({ ...initial, ...booked! }, { kind: 'provider-status', status: 'BOOKED' })).toBeUndefined();
  });
  it('partial, then the rest, then too much', () => {
    const partial = nextState(initial, { kind: 'credit', amount: '10.00' })!;
    expect(partial).toMatchObject({ status: 'PARTIALLY_PAID', amountPaid: '10.00' });
    expect(partial.reason).toContain('20.50 missing');
    const full = nextState({ ...initial, ...partial }, { kind: 'credit', amount: '20.50' })!;
    expect(full.status).toBe('BOOKED');
    const over = nextState({ ...initial, ...full }, { kind: 'credit', amount: '5' })!;
    expect(over).toMatchObject({ status: 'OVERPAID', amountPaid: '35.50' });
    expect(over.reason).toContain('5.00 more than 30.50 due');
  });
  it('a return says why', () => {
    const r = nextState(
      { status: 'BOOKED', amountDue: '30.50', amountPaid: '30.50' },
      { kind: 'return', amount: '30.50', reasonCode: 'AC06' },
    )!;
    expect(r).toMatchObject({ status: 'RETURNED', amountPaid: '0.00' });
    expect(r.reason).toContain('AC06');
  });
});

describe('refunds', () => {
  const paid = (amountPaid: string) => ({ status: 'BOOKED' as const, amountDue: '30.50', amountPaid });
  it('refunding an overpayment’s excess leaves the fee paid; less than the fee is a (partial) refund', () => {
    expect(nextState({ ...paid('35.50'), status: 'OVERPAID' }, { kind: 'refund', amount: '5.00' })).toMatchObject({
      status: 'BOOKED',
      amountPaid: '30.50',
    });
    const partial = nextState(paid('30.50'), { kind: 'refund', amount: '10.00' })!;
    expect(partial).toMatchObject({ status: 'REFUNDED', amountPaid: '20.50' });
    expect(partial.reason).toContain('partial refund');
    const whole = nextState(paid('30.50'), { kind: 'refund', amount: '30.50' })!;
    expect(whole).toMatchObject({ status: 'REFUNDED', amountPaid: '0.00' });
    expect(whole.reason).toContain('nothing of 30.50 remains paid');
  });
});

describe('tenant scope', () => {
  const p = (tenants: string[], roles = ['tenant-admin']) => ({ subject: 's', clientId: 'c', roles, tenants, channels: [], mayAssert: [] });
  it('compares by the significant prefix', () => {
    expect(tenantPrefixes(p(['120540000000']))).toEqual(['12054']);
    expect(tenantPrefixes(p([], ['platform-admin']))).toBeNull();
    expect(actsFor(p(['120540000000']), '120540000000')).toBe(true);
    expect(actsFor(p(['120540000000']), '12054')).toBe(true);
    expect(actsFor(p(['120540000000']), '12')).toBe(false);
    expect(actsFor(p(['010010000000']), '120540000000')).toBe(false);
    expect(actsFor(p([], ['platform-admin']), '120540000000')).toBe(true);
  });
});
