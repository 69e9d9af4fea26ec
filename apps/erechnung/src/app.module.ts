import { type DynamicModule, Module } from '@nestjs/common';
import { MAILER, PlatformModule, mailerFor } from '@poststelle/platform';
import { ErechnungAdminRepository } from './admin/erechnung-admin.repository';
import { ErechnungAuditController } from './admin/erechnung-audit.controller';
import { ErechnungConfigUseCase } from './admin/erechnung-config.use-case';
import { LeitwegIdsController } from './admin/leitweg-ids.controller';
import { InvoiceReadsRepository } from './invoices/invoice-reads.repository';
import { FeeRecordsRepository } from './fees/fee-records.repository';
import { InboundInvoicesRepository } from './invoices/inbound-invoices.repository';
import { InvoiceRepliesRepository } from './invoices/invoice-replies.repository';
import { OutboundInvoicesRepository } from './outbound/outbound-invoices.repository';
import { ERECHNUNG_SETTINGS, type ErechnungSettings } from './erechnung.config';
import { FeeRecordsController } from './fees/fee-records.controller';
import { PaymentEventsConsumer } from './fees/payment-events.consumer';
import { RecordFeeForInvoicingUseCase } from './fees/record-fee-for-invoicing.use-case';
import { InboundInvoicesConsumer } from './invoices/inbound-invoices.consumer';
import { InvoiceReplyDispatcher } from './invoices/invoice-reply.dispatcher';
import { InvoicesController } from './invoices/invoices.controller';
import { ReceiveInvoiceUseCase } from './invoices/receive-invoice.use-case';
import { XRechnungValidatorLifecycle, xrechnungValidatorProvider } from './invoices/validator.provider';
import { FeeInvoicingConsumer } from './outbound/fee-invoicing.consumer';
import { InvoiceIssuersController } from './outbound/invoice-issuers.controller';
import { IssueFeeInvoiceUseCase } from './outbound/issue-fee-invoice.use-case';
import { OutboundInvoicesController } from './outbound/outbound-invoices.controller';
import { ERECHNUNG_MIGRATIONS } from './erechnung.migrations';

@Module({})
export class ErechnungModule {
  static forRoot(settings: ErechnungSettings): DynamicModule {
    const { smtp, from } = settings.replies;
    return {
      module: ErechnungModule,
      imports: [
        PlatformModule.forRoot({
          settings,
          entities: [],
          migrations: ERECHNUNG_MIGRATIONS,
        }),
      ],
      controllers: [
        FeeRecordsController,
        InvoicesController,
        OutboundInvoicesController,
        InvoiceIssuersController,
        LeitwegIdsController,
        ErechnungAuditController,
      ],
      providers: [
        ErechnungAdminRepository,
        InvoiceReadsRepository,
        RecordFeeForInvoicingUseCase,
        PaymentEventsConsumer,
        xrechnungValidatorProvider,
        XRechnungValidatorLifecycle,
        ReceiveInvoiceUseCase,
        { provide: ERECHNUNG_SETTINGS, useValue: settings },
        { provide: MAILER, useValue: mailerFor(smtp, from) },
        InboundInvoicesConsumer,
        InvoiceReplyDispatcher,
        IssueFeeInvoiceUseCase,
        FeeInvoicingConsumer,
        InboundInvoicesRepository,
        InvoiceRepliesRepository,
        OutboundInvoicesRepository,
        FeeRecordsRepository,
        ErechnungConfigUseCase,
      ],
    };
  }
}
