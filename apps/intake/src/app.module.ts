import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@poststelle/platform';
import { INTAKE_SETTINGS, type IntakeSettings } from './intake.config';
import { IntakeSchema1732300000100 } from './migrations/1732300000100-intake-schema.migration';
import { IntakeChannels1732300000110 } from './migrations/1732300000110-intake-channels.migration';
import { IntakeDuplicates1732300000120 } from './migrations/1732300000120-intake-duplicates.migration';
import { IntakeInvoiceMailboxes1732300000137 } from './migrations/1732300000137-intake-invoice-mailboxes.migration';
import { IntakeScan1732300000130 } from './migrations/1732300000130-intake-scan.migration';
import { IntakeScanSeal1732300000140 } from './migrations/1732300000140-intake-scan-seal.migration';
import { IntakeScanResolution1732300000150 } from './migrations/1732300000150-intake-scan-resolution.migration';
import { IntakeCaseReference1732300000160 } from './migrations/1732300000160-intake-case-reference.migration';
import { IntakeSubmittedBy1733600000100 } from './migrations/1733600000100-intake-submitted-by.migration';
import { CasesModule } from './cases/cases.module';
import { EmailModule } from './channels/email/email.module';
import { FitConnectModule } from './channels/fit-connect/fit-connect.module';
import { KafkaAdapterModule } from './channels/kafka-adapter/kafka-adapter.module';
import { PortalModule } from './channels/portal/portal.module';
import { ScanModule } from './channels/scan/scan.module';

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
          migrations: [
            IntakeSchema1732300000100,
            IntakeChannels1732300000110,
            IntakeDuplicates1732300000120,
            IntakeScan1732300000130,
            IntakeInvoiceMailboxes1732300000137,
            IntakeScanSeal1732300000140,
            IntakeScanResolution1732300000150,
            IntakeCaseReference1732300000160,
            IntakeSubmittedBy1733600000100,
          ],
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
