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
        ProceduresRepository,
        RoutingDecisionsRepository,
        HeldCasesRepository,
        StatusRepository,
        NotificationsRepository,
        ReportStatusUseCase,
        ApplyEvidenceUseCase,
        ResolveManualRoutingUseCase,
      ],
    };
  }
}
