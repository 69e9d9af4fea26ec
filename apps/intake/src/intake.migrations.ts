import { IntakeSchema1732300000100 } from './migrations/1732300000100-intake-schema.migration';
import { IntakeChannels1732300000110 } from './migrations/1732300000110-intake-channels.migration';
import { IntakeDuplicates1732300000120 } from './migrations/1732300000120-intake-duplicates.migration';
import { IntakeScan1732300000130 } from './migrations/1732300000130-intake-scan.migration';
import { IntakeInvoiceMailboxes1732300000137 } from './migrations/1732300000137-intake-invoice-mailboxes.migration';
import { IntakeScanSeal1732300000140 } from './migrations/1732300000140-intake-scan-seal.migration';
import { IntakeScanResolution1732300000150 } from './migrations/1732300000150-intake-scan-resolution.migration';
import { IntakeCaseReference1732300000160 } from './migrations/1732300000160-intake-case-reference.migration';
import { IntakeSubmittedBy1733600000100 } from './migrations/1733600000100-intake-submitted-by.migration';

/** intake's own migrations, in order (the platform runs the messaging tables' first); the integration specs use them too. */
export const INTAKE_MIGRATIONS = [
  IntakeSchema1732300000100,
  IntakeChannels1732300000110,
  IntakeDuplicates1732300000120,
  IntakeScan1732300000130,
  IntakeInvoiceMailboxes1732300000137,
  IntakeScanSeal1732300000140,
  IntakeScanResolution1732300000150,
  IntakeCaseReference1732300000160,
  IntakeSubmittedBy1733600000100,
];
