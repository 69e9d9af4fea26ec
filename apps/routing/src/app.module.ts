import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformSettings } from '@poststelle/platform';
import { RoutingAdminController } from './admin/routing-admin.controller';
import { RoutingSchema1732300000200 } from './migrations/1732300000200-routing-schema.migration';
import { CasesReceivedConsumer } from './routing/cases-received.consumer';
import { RouteCaseUseCase } from './routing/route-case.use-case';
import { RoutingController } from './routing/routing.controller';

@Module({})
export class RoutingModule {
  static forRoot(settings: PlatformSettings): DynamicModule {
    return {
      module: RoutingModule,
      imports: [PlatformModule.forRoot({ settings, entities: [], migrations: [RoutingSchema1732300000200] })],
      controllers: [RoutingController, RoutingAdminController],
      providers: [RouteCaseUseCase, CasesReceivedConsumer],
    };
  }
}
