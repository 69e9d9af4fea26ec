import { RoutingSchema1732300000200 } from './migrations/1732300000200-routing-schema.migration';
import { RoutingEvidenceStatusAudit1732300000210 } from './migrations/1732300000210-routing-evidence-status-audit.migration';
import { RoutingBundles1732300000220 } from './migrations/1732300000220-routing-bundles.migration';
import { RoutingAcceptedSchemas1732300000230 } from './migrations/1732300000230-routing-accepted-schemas.migration';
import { RoutingEarlyEvidence1732300000240 } from './migrations/1732300000240-routing-early-evidence.migration';
import { RoutingAuditSubjectAndScope1733610000200 } from './migrations/1733610000200-routing-audit-subject-and-scope.migration';

import { RoutingPaymentGate1733620000100 } from './migrations/1733620000100-routing-payment-gate.migration';

/** routing's own migrations, in order (the platform runs the messaging tables' first); the integration specs use them too. */
export const ROUTING_MIGRATIONS = [
  RoutingSchema1732300000200,
  RoutingEvidenceStatusAudit1732300000210,
  RoutingBundles1732300000220,
  RoutingAcceptedSchemas1732300000230,
  RoutingEarlyEvidence1732300000240,
  RoutingAuditSubjectAndScope1733610000200,
  RoutingPaymentGate1733620000100,
];
