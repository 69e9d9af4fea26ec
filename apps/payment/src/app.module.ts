import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformSettings } from '@poststelle/platform';
import { CasesRoutedConsumer } from './fees/cases-routed.consumer';
import { FeesController } from './fees/fees.controller';
import { RecordFeeUseCase } from './fees/record-fee.use-case';
import { PaymentSchema1732300000300 } from './migrations/1732300000300-payment-schema.migration';

@Module({})
export class PaymentModule {
  static forRoot(settings: PlatformSettings): DynamicModule {
    return {
      module: PaymentModule,
      imports: [PlatformModule.forRoot({ settings, entities: [], migrations: [PaymentSchema1732300000300] })],
      controllers: [FeesController],
      providers: [RecordFeeUseCase, CasesRoutedConsumer],
    };
  }
}
