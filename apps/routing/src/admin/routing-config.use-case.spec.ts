import { strictMock } from '@poststelle/testing';
import { type ProcedureTopics } from '../routing/procedure-topics';
import { RoutingErrorCode } from '../routing/routing.exception';
import { type UpsertProcedureRequest } from './admin.requests';
import { type RoutingAdminRepository } from './routing-admin.repository';
import { RoutingConfigUseCase } from './routing-config.use-case';

const admin = { subject: 'admin', clientId: 'admin', roles: ['platform-admin'], tenants: [], channels: [], mayAssert: [] };

const request = (tenantArs: string, name: string) => ({ tenantArs, name }) as UpsertProcedureRequest;

// The repository is set up with nothing: touching it at all (a transaction, a read) fails the test.
const untouchedRepository = () => strictMock<RoutingAdminRepository>('RoutingAdminRepository');

describe('registering a procedure (RoutingConfigUseCase.upsertProcedure)', () => {
  it('answers 503 PROCEDURE_TOPICS_UNAVAILABLE and registers nothing when the procedure topics cannot be created', async () => {
    const ensure = jest.fn().mockRejectedValue(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
    const useCase = new RoutingConfigUseCase(untouchedRepository(), strictMock<ProcedureTopics>('ProcedureTopics', { ensure }));

    const refused = useCase.upsertProcedure('parking-potsdam', request('120540000000', 'Bewohnerparken'), admin);

    await expect(refused).rejects.toMatchObject({ code: RoutingErrorCode.ProcedureTopicsUnavailable, status: 503 });
    await expect(refused).rejects.toThrow(/procedure parking-potsdam could not be created .*ECONNREFUSED.*not registered/);
    expect(ensure).toHaveBeenCalledWith(['parking-potsdam']);
  });

  it('refuses a tenant admin a procedure for another tenant before creating any topic (403 FOREIGN_TENANT)', async () => {
    const useCase = new RoutingConfigUseCase(untouchedRepository(), strictMock<ProcedureTopics>('ProcedureTopics'));
    const potsdamAdmin = { ...admin, subject: 'admin-potsdam', roles: ['tenant-admin'], tenants: ['120540000000'] };

    const refused = useCase.upsertProcedure('parking-kiel', request('010020000000', 'Parken Kiel'), potsdamAdmin);

    await expect(refused).rejects.toMatchObject({ code: RoutingErrorCode.ForeignTenant, status: 403 });
  });
});
