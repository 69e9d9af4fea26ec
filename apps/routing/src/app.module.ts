import { type DynamicModule, Module } from '@nestjs/common';
import { MAILER, PlatformModule, mailerFor } from '@poststelle/platform';
import { RoutingAdminController } from './admin/routing-admin.controller';
import { RoutingSchema1732300000200 } from './migrations/1732300000200-routing-schema.migration';
import { RoutingEvidenceStatusAudit1732300000210 } from './migrations/1732300000210-routing-evidence-status-audit.migration';
import { RoutingBundles1732300000220 } from './migrations/1732300000220-routing-bundles.migration';
import { RoutingAcceptedSchemas1732300000230 } from './migrations/1732300000230-routing-accepted-schemas.migration';
import { EarlyEvidenceRepository } from './routing/early-evidence.repository';
import { RoutingEarlyEvidence1732300000240 } from './migrations/1732300000240-routing-early-evidence.migration';
import { RoutingAuditSubjectAndScope1733610000200 } from './migrations/1733610000200-routing-audit-subject-and-scope.migration';
import { RoutingAdminRepository } from './admin/routing-admin.repository';
import { RoutingReadsRepository } from './routing/routing-reads.repository';
import { RoutingPaymentGate1733620000100 } from './migrations/1733620000100-routing-payment-gate.migration';
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
          migrations: [
            RoutingSchema1732300000200,
            RoutingEvidenceStatusAudit1732300000210,
            RoutingBundles1732300000220,
            RoutingAcceptedSchemas1732300000230,
            RoutingEarlyEvidence1732300000240,
            RoutingAuditSubjectAndScope1733610000200,
            RoutingPaymentGate1733620000100,
          ],
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
        PaymentGate,
        PaymentGateRepository,
        PaymentGateConsumer,
      ],
    };
  }
}
