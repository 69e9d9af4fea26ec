import { type Principal } from './principal';
import { auditScopeOf, scopeCovers, significantPrefix, tenantPrefixesOf, tenantScopeOf, tenantScopeParam } from './tenant-scope';

const principal = (roles: string[], tenants: string[]): Principal => ({
  subject: 's',
  clientId: 'c',
  roles,
  tenants,
  channels: [],
  mayAssert: [],
});

describe('tenant scope', () => {
  it.each([
    ['120540000000', '12054'],
    ['010010000000', '01001'],
    ['120000000000', '12'],
    ['120605003154', '120605003154'],
    ['120600050000', '120600050'],
    ['120600050', '120600050'],
    ['12', '12'],
  ])('reads tenant %s as the region prefix %s', (tenant, prefix) => {
    expect(significantPrefix(tenant)).toBe(prefix);
  });

  it('ignores tenant claims that are no ARS prefix (2, 3, 5, 9 or 12 digits)', () => {
    expect(tenantPrefixesOf(['120540000000', '120600500000', '1205', 'PS-ALL', '12054'])).toEqual(['12054', '120600500']);
    expect(tenantScopeOf(principal(['caseworker'], ['1205']))).toEqual({ all: false, prefixes: [] });
  });

  it('lets a caseworker of Potsdam see Potsdam objects and rules inside Potsdam, nothing else', () => {
    const scope = tenantScopeOf(principal(['caseworker'], ['120540000000']));
    expect(scopeCovers(scope, '120540000000')).toBe(true);
    expect(scopeCovers(scope, '120541234567')).toBe(true);
    expect(scopeCovers(scope, '12054')).toBe(true);
    expect(scopeCovers(scope, '120540001')).toBe(true);
    expect(scopeCovers(scope, '12')).toBe(false);
    expect(scopeCovers(scope, '010010000000')).toBe(false);
    expect(tenantScopeParam(scope)).toEqual(['12054%']);
  });

  it('gives a platform admin every tenant, and a principal without tenants none', () => {
    expect(tenantScopeOf(principal(['platform-admin'], []))).toEqual({ all: true });
    expect(tenantScopeParam(tenantScopeOf(principal(['platform-admin'], [])))).toBeNull();
    const none = tenantScopeOf(principal(['tenant-admin'], []));
    expect(scopeCovers(none, '120540000000')).toBe(false);
    expect(tenantScopeParam(none)).toEqual([]);
    expect(tenantScopeOf(undefined)).toEqual({ all: false, prefixes: [] });
  });

  it('lets an auditor without tenants read every audit record, one with tenants only theirs', () => {
    expect(auditScopeOf(principal(['auditor'], []))).toEqual({ all: true });
    expect(auditScopeOf(principal(['auditor'], ['010010000000']))).toEqual({ all: false, prefixes: ['01001'] });
    expect(auditScopeOf(undefined)).toEqual({ all: false, prefixes: [] });
  });

  it('ignores tenant claims that are not ARS prefixes (no pattern injection)', () => {
    expect(tenantScopeOf(principal(['caseworker'], ['%', '12_4', '120540000000']))).toEqual({ all: false, prefixes: ['12054'] });
  });
});
