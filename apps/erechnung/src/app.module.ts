import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformSettings } from '@poststelle/platform';
import { FeeRecordsController } from './fees/fee-records.controller';
import { PaymentEventsConsumer } from './fees/payment-events.consumer';
import { RecordFeeForInvoicingUseCase } from './fees/record-fee-for-invoicing.use-case';
import { ErechnungSchema1732300000400 } from './migrations/1732300000400-erechnung-schema.migration';

@Module({})
export class ErechnungModule {
  static forRoot(settings: PlatformSettings): DynamicModule {
    return {
      module: ErechnungModule,
      imports: [PlatformModule.forRoot({ settings, entities: [], migrations: [ErechnungSchema1732300000400] })],
      controllers: [FeeRecordsController],
      providers: [RecordFeeForInvoicingUseCase, PaymentEventsConsumer],
    };
  }
}
