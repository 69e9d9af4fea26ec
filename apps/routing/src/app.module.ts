import { type DynamicModule, Module } from '@nestjs/common';
import { MAILER, PlatformModule, mailerFor } from '@poststelle/platform';
import { RoutingAdminController } from './admin/routing-admin.controller';
import { RoutingRuleTester } from './admin/routing-rule-tester';
import { RoutingQueues } from './routing/routing-queues';
import { EarlyEvidenceRepository } from './routing/early-evidence.repository';
import { RoutingAdminRepository } from './admin/routing-admin.repository';
import { RoutingConfigUseCase } from './admin/routing-config.use-case';
import { RoutingReadsRepository } from './routing/routing-reads.repository';
import { PaymentGate } from './routing/payment-gate';
import { PaymentGateRepository } from './routing/payment-gate.repository';
import { PaymentGateConsumer } from './routing/payment-gate.consumer';
import { BundlesController } from './bundles/bundles.controller';
import { ROUTING_SETTINGS, type RoutingSettings } from './routing.config';
import { CasesReceivedConsumer } from './routing/cases-received.consumer';
import { ProcedureTopics } from './routing/procedure-topics';
import { RouteCaseUseCase } from './routing/route-case.use-case';
import { RoutingController } from './routing/routing.controller';
import { CaseEvidenceConsumer } from './status/case-evidence.consumer';
import { CaseStatusConsumer } from './status/case-status.consumer';
import { CaseStatusController } from './status/case-status.controller';
import { NotificationDispatcher } from './status/notification-dispatcher';
import { RecordStatusUseCase } from './status/record-status.use-case';
import { HeldCasesRepository } from './routing/held-cases.repository';
import { ProceduresRepository } from './routing/procedures.repository';
import { ResolveManualRoutingUseCase } from './routing/resolve-manual-routing.use-case';
import { RoutingDecisionsRepository } from './routing/routing-decisions.repository';
import { ApplyEvidenceUseCase } from './status/apply-evidence.use-case';
import { NotificationsRepository } from './status/notifications.repository';
import { ReportStatusUseCase } from './status/report-status.use-case';
import { StatusRepository } from './status/status.repository';
import { ROUTING_MIGRATIONS } from './routing.migrations';

@Module({})
export class RoutingModule {
  static forRoot(settings: RoutingSettings): DynamicModule {
    const { smtp, from } = settings.notifications;
    return {
      module: RoutingModule,
      imports: [
        PlatformModule.forRoot({
          settings,
          entities: [],
          migrations: ROUTING_MIGRATIONS,
        }),
      ],
      controllers: [RoutingController, RoutingAdminController, CaseStatusController, BundlesController],
      providers: [
        { provide: ROUTING_SETTINGS, useValue: settings },
        { provide: MAILER, useValue: mailerFor(smtp, from) },
        RouteCaseUseCase,
        EarlyEvidenceRepository,
        RoutingAdminRepository,
        RoutingReadsRepository,
        RecordStatusUseCase,
        NotificationDispatcher,
        CasesReceivedConsumer,
        CaseStatusConsumer,
        CaseEvidenceConsumer,
        ProcedureTopics,
        ProceduresRepository,
        RoutingDecisionsRepository,
        HeldCasesRepository,
        StatusRepository,
        NotificationsRepository,
        ReportStatusUseCase,
        ApplyEvidenceUseCase,
        ResolveManualRoutingUseCase,
        RoutingConfigUseCase,
        PaymentGate,
        PaymentGateRepository,
        PaymentGateConsumer,
        RoutingQueues,
        RoutingRuleTester,
      ],
    };
  }
}
