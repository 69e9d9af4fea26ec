import { type Principal } from '@poststelle/platform';
import { IntakeException } from '../intake.exception';
import { claimForKind, requireChannel, submitterOf } from './channel-trust';
import { coversTenant, inScope, ownScopeOf, readScopeOf, scopeCondition } from './read-scope';

const principal = (p: Partial<Principal>): Principal => ({
  subject: 'sub-1',
  clientId: 'client-1',
  roles: [],
  tenants: [],
  channels: [],
  mayAssert: [],
  ...p,
});
const potsdam = principal({ clientId: 'operator-potsdam', roles: ['caseworker'], tenants: ['120540000000'] });
const other = principal({ clientId: 'operator-other', roles: ['caseworker'], tenants: ['010010000000'] });
const admin = principal({ clientId: 'platform-admin', roles: ['platform-admin'] });
const untrusted = principal({ clientId: 'channel-untrusted', roles: ['channel'], channels: ['portal', 'email'], mayAssert: [] });

describe('tenant scope', () => {
  it('reads tenant claims as region prefixes, ignoring claims that are no ARS prefix', () => {
    const scope = readScopeOf({ ...potsdam, tenants: ['120540000000', '120600500000', '1205', 'PS-ALL'] });
    expect(scope.arsPrefixes).toEqual(['12054', '120600500']);
  });

  it('lets a caseworker see its own tenant and everything in it, nothing of another tenant', () => {
    const scope = readScopeOf(potsdam);
    expect(inScope(scope, '120540000000')).toBe(true);
    expect(inScope(scope, '120540000123')).toBe(true);
    expect(inScope(scope, '010010000000')).toBe(false);
    expect(inScope(readScopeOf(other), '120540000000')).toBe(false);
  });

  it('shows an object whose tenant is unknown to platform-admin and its sender only', () => {
    expect(inScope(readScopeOf(potsdam), null)).toBe(false);
    expect(inScope(readScopeOf(admin), null)).toBe(true);
    expect(inScope(readScopeOf(untrusted), null, 'channel-untrusted')).toBe(true);
    expect(inScope(readScopeOf(untrusted), null, 'channel-demo')).toBe(false);
  });

  it('does not let a caseworker read back submissions by naming itself as their sender', () => {
    expect(readScopeOf(potsdam).submitter).toBeUndefined();
    expect(ownScopeOf(potsdam)).toEqual({ all: false, arsPrefixes: [], submitter: 'operator-potsdam' });
  });

  it('writes into a tenant only for the tenant itself, whatever the caller sent', () => {
    expect(coversTenant(readScopeOf(potsdam), '120540000000')).toBe(true);
    expect(coversTenant(readScopeOf(potsdam), '010010000000')).toBe(false);
    expect(coversTenant(readScopeOf(untrusted), '120540000000')).toBe(false);
    expect(coversTenant(readScopeOf(admin), '010010000000')).toBe(true);
  });

  it('becomes a SQL condition with its values as parameters, never in the text', () => {
    const params: unknown[] = ['x'];
    const sql = scopeCondition(readScopeOf({ ...untrusted, tenants: ['120540000000'] }), 'c.tenant_ars', 's.submitted_by', params);
    expect(sql).toBe('(c.tenant_ars LIKE ANY($2::text[]) OR s.submitted_by = $3)');
    expect(params).toEqual(['x', ['12054%'], 'channel-untrusted']);
    expect(scopeCondition(readScopeOf(admin), 'c.tenant_ars', undefined, [])).toBe('TRUE');
    expect(scopeCondition(readScopeOf(principal({ roles: ['auditor'] })), 'c.tenant_ars', undefined, [])).toBe('FALSE');
  });
});

describe('channel trust', () => {
  it('refuses a channel kind the client is not registered for with 403', () => {
    expect(() => requireChannel(submitterOf(untrusted), claimForKind('scan'))).toThrow(
      expect.objectContaining({ status: 403, code: 'CHANNEL_NOT_ALLOWED' }) as unknown as Error,
    );
    expect(() => requireChannel(submitterOf(untrusted), 'portal')).not.toThrow();
  });

  it('maps paper scans to the scan centre channel', () => {
    expect(claimForKind('scan')).toBe('paper');
    expect(claimForKind('portal')).toBe('portal');
  });

  it('takes what a client may assert from its token, and lets platform-admin use every channel', () => {
    expect(submitterOf(untrusted)).toEqual({ id: 'channel-untrusted', channels: ['portal', 'email'], mayAssert: [] });
    const operator = submitterOf(admin);
    expect(operator.mayAssert).toEqual(['eid', 'levelOfAssurance']);
    expect(() => requireChannel(operator, 'paper')).not.toThrow();
  });

  it('throws an IntakeException (a problem answer), not a bare error', () => {
    try {
      requireChannel(submitterOf(untrusted), 'fit-connect');
    } catch (error) {
      expect(error).toBeInstanceOf(IntakeException);
      expect((error as IntakeException).extensions).toMatchObject({ channel: 'fit-connect', allowedChannels: ['portal', 'email'] });
    }
    expect.assertions(2);
  });
});
