import { tenantScopeOf, type Principal } from '@poststelle/platform';
import { RoutingErrorCode } from '../routing/routing.exception';
import { assertOwnProcedure, assertOwnRegion, visibleRule } from './admin-access';

const adminOf = (tenants: string[], roles = ['tenant-admin']): Principal => ({
  subject: 'admin-potsdam',
  clientId: 'admin-potsdam',
  roles,
  tenants,
  channels: [],
  mayAssert: [],
});
const errorOf = (f: () => void): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
};
const potsdam = tenantScopeOf(adminOf(['120540000000']));

describe('tenant admin access to routing configuration', () => {
  it('lets the Potsdam admin name regions inside Potsdam only; a foreign region is 403 FOREIGN_TENANT', () => {
    expect(() => assertOwnRegion(potsdam, '12054', 'arsPrefix')).not.toThrow();
    expect(() => assertOwnRegion(potsdam, '120540000000', 'tenantArs')).not.toThrow();
    for (const foreign of ['01001', '010010000000', '12']) {
      expect(errorOf(() => assertOwnRegion(potsdam, foreign, 'arsPrefix'))).toMatchObject({
        code: RoutingErrorCode.ForeignTenant,
        status: 403,
      });
    }
  });

  it('refuses to take over another tenant’s procedure, allows a new or own one', () => {
    expect(() => assertOwnProcedure(potsdam, undefined, 'new')).not.toThrow();
    expect(() => assertOwnProcedure(potsdam, { tenantArs: '120540000000' }, 'own')).not.toThrow();
    expect(errorOf(() => assertOwnProcedure(potsdam, { tenantArs: '010010000000' }, 'kiel'))).toMatchObject({
      code: RoutingErrorCode.ForeignTenant,
    });
  });

  it('hides another tenant’s rule as if it did not exist; a platform admin sees every rule', () => {
    expect(visibleRule(potsdam, { arsPrefix: '12054' })).toEqual({ arsPrefix: '12054' });
    expect(visibleRule(potsdam, { arsPrefix: '01001' })).toBeUndefined();
    expect(visibleRule(potsdam, undefined)).toBeUndefined();
    expect(visibleRule(tenantScopeOf(adminOf([], ['platform-admin'])), { arsPrefix: '01001' })).toEqual({ arsPrefix: '01001' });
  });
});
