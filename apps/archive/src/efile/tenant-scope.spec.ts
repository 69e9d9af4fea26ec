import { type Principal } from '@poststelle/platform';
import { actsFor } from './tenant-scope';

const principal = (tenants: string[], roles = ['caseworker']): Principal => ({
  subject: 's',
  clientId: 'c',
  roles,
  tenants,
  channels: [],
  mayAssert: [],
});

describe('tenant scope of e-files', () => {
  it('lets a caseworker act for files of their tenants only; a platform-admin for all', () => {
    expect(actsFor(principal(['120540000000']), '120540000000')).toBe(true);
    expect(actsFor(principal(['120540000000']), '120545003154')).toBe(true);
    expect(actsFor(principal(['010010000000']), '120540000000')).toBe(false);
    expect(actsFor(principal([]), '120540000000')).toBe(false);
    expect(actsFor(principal([], ['platform-admin']), '120540000000')).toBe(true);
    expect(actsFor(undefined, '120540000000')).toBe(false);
  });
});
