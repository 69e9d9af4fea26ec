import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@poststelle/platform';
import { INTAKE_SETTINGS, type IntakeSettings } from './intake.config';
import { CasesModule } from './cases/cases.module';
import { EmailModule } from './channels/email/email.module';
import { FitConnectModule } from './channels/fit-connect/fit-connect.module';
import { KafkaAdapterModule } from './channels/kafka-adapter/kafka-adapter.module';
import { PortalModule } from './channels/portal/portal.module';
import { ScanModule } from './channels/scan/scan.module';
import { INTAKE_MIGRATIONS } from './intake.migrations';

/** Intake: the core (./core) plus one module per channel and case tracking (ADR 0017). */
@Module({})
export class IntakeModule {
  static forRoot(settings: IntakeSettings): DynamicModule {
    return {
      module: IntakeModule,
      global: true,
      imports: [
        PlatformModule.forRoot({
          settings,
          entities: [],
          migrations: INTAKE_MIGRATIONS,
        }),
        PortalModule,
        KafkaAdapterModule,
        EmailModule,
        FitConnectModule,
        ScanModule,
        CasesModule,
      ],
      providers: [{ provide: INTAKE_SETTINGS, useValue: settings }],
      exports: [INTAKE_SETTINGS],
    };
  }
}
