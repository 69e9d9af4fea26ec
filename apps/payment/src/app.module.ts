import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@poststelle/platform';
import { ChangeFeeUseCase } from './fees/change-fee.use-case';
import { FeeScheduleRepository } from './fees/fee-schedule.repository';
import { FeesController } from './fees/fees.controller';
import { PaymentSchema1732300000300 } from './migrations/1732300000300-payment-schema.migration';
import { PaymentLifecycle1733620000000 } from './migrations/1733620000000-payment-lifecycle.migration';
import { PaymentNoticeRefunds1733700000000 } from './migrations/1733700000000-payment-notice-refunds.migration';
import { FeeNoticeController } from './notice/fee-notice.controller';
import { FeeNoticeUseCase } from './notice/fee-notice.use-case';
import { PayeeController } from './notice/payee.controller';
import { PayeeRepository } from './notice/payee.repository';
import { PAYMENT_SETTINGS, type PaymentSettings } from './payment.config';
import { CasesReceivedConsumer } from './payments/cases-received.consumer';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsRepository } from './payments/payments.repository';
import { RecordFeeUseCase } from './payments/record-fee.use-case';
import { TransitionPaymentUseCase } from './payments/transition-payment.use-case';
import { OnlinePaymentUseCase } from './provider/online-payment.use-case';
import { ProviderPoller } from './provider/provider-poller';
import { ProviderController } from './provider/provider.controller';
import { ProviderRepository } from './provider/provider.repository';
import { XBezahldiensteClient } from './provider/xbezahldienste.client';
import { RefundPaymentUseCase } from './refunds/refund-payment.use-case';
import { RefundsController } from './refunds/refunds.controller';
import { RefundsRepository } from './refunds/refunds.repository';
import { ClerkQueueUseCase } from './statements/clerk-queue.use-case';
import { StatementDropFolder } from './statements/drop-folder';
import { ImportStatementUseCase } from './statements/import-statement.use-case';
import { ReconcileItemsUseCase } from './statements/reconcile-items.use-case';
import { StatementWorker } from './statements/statement-worker';
import { StatementsController } from './statements/statements.controller';
import { StatementsRepository } from './statements/statements.repository';

@Module({})
export class PaymentModule {
  static forRoot(settings: PaymentSettings): DynamicModule {
    return {
      module: PaymentModule,
      imports: [
        PlatformModule.forRoot({
          settings,
          entities: [],
          migrations: [PaymentSchema1732300000300, PaymentLifecycle1733620000000, PaymentNoticeRefunds1733700000000],
        }),
      ],
      controllers: [
        FeesController,
        PaymentsController,
        StatementsController,
        ProviderController,
        RefundsController,
        FeeNoticeController,
        PayeeController,
      ],
      providers: [
        { provide: PAYMENT_SETTINGS, useValue: settings },
        FeeScheduleRepository,
        PaymentsRepository,
        StatementsRepository,
        ChangeFeeUseCase,
        RecordFeeUseCase,
        TransitionPaymentUseCase,
        ReconcileItemsUseCase,
        ImportStatementUseCase,
        ClerkQueueUseCase,
        StatementWorker,
        StatementDropFolder,
        ProviderRepository,
        XBezahldiensteClient,
        OnlinePaymentUseCase,
        ProviderPoller,
        CasesReceivedConsumer,
        RefundsRepository,
        RefundPaymentUseCase,
        PayeeRepository,
        FeeNoticeUseCase,
      ],
    };
  }
}
