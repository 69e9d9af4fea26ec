import { type EntityManager } from 'typeorm';
import { type Principal } from '@poststelle/platform';
import { strictMock } from '@poststelle/testing';
import { ErechnungErrorCode } from '../erechnung.exception';
import { type ErechnungAdminRepository } from './erechnung-admin.repository';
import { ErechnungConfigUseCase } from './erechnung-config.use-case';

const potsdamAdmin: Principal = {
  subject: 'admin-potsdam',
  clientId: 'admin-potsdam',
  roles: ['tenant-admin'],
  tenants: ['120540000000'],
  channels: [],
  mayAssert: [],
};
const inTransaction = <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => work({} as EntityManager);

describe('changing erechnung configuration (ErechnungConfigUseCase)', () => {
  it('refuses to take over another tenant’s Leitweg-ID (403 FOREIGN_TENANT) and writes nothing', async () => {
    const repository = strictMock<ErechnungAdminRepository>('ErechnungAdminRepository', {
      transaction: inTransaction,
      destinationForUpdate: () =>
        Promise.resolve({ leitwegId: '04011000-12345-03', tenantArs: '040110000000', name: 'Bremen', destination: 'sap' }),
    });
    const takeover = new ErechnungConfigUseCase(repository).upsertDestination(
      { leitwegId: '04011000-12345-03', tenantArs: '120540000000', name: 'Potsdam', destination: 'ours' },
      potsdamAdmin,
    );
    await expect(takeover).rejects.toMatchObject({ code: ErechnungErrorCode.ForeignTenant, status: 403 });
  });

  it('registers a new Leitweg-ID of the admin’s own tenant with an audit record naming the token’s subject', async () => {
    const upsertDestination = jest.fn().mockResolvedValue(undefined);
    const audit = jest.fn().mockResolvedValue(undefined);
    const repository = strictMock<ErechnungAdminRepository>('ErechnungAdminRepository', {
      transaction: inTransaction,
      destinationForUpdate: () => Promise.resolve(undefined),
      upsertDestination,
      audit,
    });
    const next = { leitwegId: '12054000-11111-22', tenantArs: '120540000000', name: 'Potsdam', destination: 'sap' };
    await new ErechnungConfigUseCase(repository).upsertDestination(next, potsdamAdmin);
    expect(upsertDestination).toHaveBeenCalledWith({}, next);
    expect(audit).toHaveBeenCalledWith(
      {},
      expect.objectContaining({ subject: 'admin-potsdam', action: 'leitweg-id.created', newValue: next }),
    );
  });

  it('refuses an issuer for a tenant the admin does not administer before touching the repository', async () => {
    const refused = new ErechnungConfigUseCase(strictMock<ErechnungAdminRepository>('ErechnungAdminRepository')).upsertIssuer(
      { tenantArs: '040110000000' } as Parameters<ErechnungConfigUseCase['upsertIssuer']>[0],
      potsdamAdmin,
    );
    await expect(refused).rejects.toMatchObject({ code: ErechnungErrorCode.ForeignTenant, status: 403 });
  });
});
