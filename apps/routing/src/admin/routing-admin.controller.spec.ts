import { type DataSource } from 'typeorm';
import { type ProcedureTopics } from '../routing/procedure-topics';
import { RoutingErrorCode } from '../routing/routing.exception';
import { RoutingAdminController } from './routing-admin.controller';

describe('RoutingAdminController.upsertProcedure', () => {
  it('answers 503 PROCEDURE_TOPICS_UNAVAILABLE and registers nothing when the procedure topics cannot be created', async () => {
    const transaction = jest.fn();
    const topics = { ensure: jest.fn().mockRejectedValue(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092')) };
    const controller = new RoutingAdminController({ transaction } as unknown as DataSource, topics as unknown as ProcedureTopics);

    const refused = controller.upsertProcedure('parking-potsdam', { tenantArs: '120540000000', name: 'Bewohnerparken' }, 'admin');

    await expect(refused).rejects.toMatchObject({ code: RoutingErrorCode.ProcedureTopicsUnavailable, status: 503 });
    await expect(refused).rejects.toThrow(/procedure parking-potsdam could not be created .*ECONNREFUSED.*not registered/);
    expect(topics.ensure).toHaveBeenCalledWith(['parking-potsdam']);
    expect(transaction).not.toHaveBeenCalled();
  });
});
