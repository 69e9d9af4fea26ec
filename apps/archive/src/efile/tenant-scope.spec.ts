import { type Principal } from '@poststelle/platform';
import { actsFor, significantPrefix } from './tenant-scope';

const principal = (tenants: string[], roles = ['caseworker']): Principal => ({
  subject: 's',
  clientId: 'c',
  roles,
  tenants,
  channels: [],
  mayAssert: [],
});

describe('tenant scope of e-files', () => {
  it('compares ARS by their significant prefix (2, 3, 5, 9 or 12 digits)', () => {
    expect(significantPrefix('120540000000')).toBe('12054');
    expect(significantPrefix('010010000000')).toBe('01001');
    expect(significantPrefix('120000000000')).toBe('12');
    expect(significantPrefix('120545000123')).toBe('120545000123');
  });

  it('lets a caseworker act for files of their tenants only; a platform-admin for all', () => {
    expect(actsFor(principal(['120540000000']), '120540000000')).toBe(true);
    expect(actsFor(principal(['120540000000']), '120545003154')).toBe(true);
    expect(actsFor(principal(['010010000000']), '120540000000')).toBe(false);
    expect(actsFor(principal([]), '120540000000')).toBe(false);
    expect(actsFor(principal([], ['platform-admin']), '120540000000')).toBe(true);
    expect(actsFor(undefined, '120540000000')).toBe(false);
  });
});
