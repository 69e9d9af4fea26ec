import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformSettings } from '@poststelle/platform';
import { ChangeFeeUseCase } from './fees/change-fee.use-case';
import { FeeScheduleRepository } from './fees/fee-schedule.repository';
import { FeesController } from './fees/fees.controller';
import { PaymentSchema1732300000300 } from './migrations/1732300000300-payment-schema.migration';
import { PaymentLifecycle1733620000000 } from './migrations/1733620000000-payment-lifecycle.migration';
import { CasesReceivedConsumer } from './payments/cases-received.consumer';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsRepository } from './payments/payments.repository';
import { RecordFeeUseCase } from './payments/record-fee.use-case';
import { TransitionPaymentUseCase } from './payments/transition-payment.use-case';

@Module({})
export class PaymentModule {
  static forRoot(settings: PlatformSettings): DynamicModule {
    return {
      module: PaymentModule,
      imports: [
        PlatformModule.forRoot({ settings, entities: [], migrations: [PaymentSchema1732300000300, PaymentLifecycle1733620000000] }),
      ],
      controllers: [FeesController, PaymentsController],
      providers: [
        FeeScheduleRepository,
        PaymentsRepository,
        ChangeFeeUseCase,
        RecordFeeUseCase,
        TransitionPaymentUseCase,
        CasesReceivedConsumer,
      ],
    };
  }
}
