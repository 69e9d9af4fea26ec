import { Counter } from 'prom-client';
import { registry } from '@poststelle/telemetry';

/** Reports read from the deprecated shared `cases.status.v1` (ADR 0013): zero for long enough means the flag can go. */
export const legacyStatusReports = new Counter({
  name: 'poststelle_routing_legacy_status_reports_total',
  help: 'Status reports read from the deprecated shared topic cases.status.v1',
  registers: [registry],
});
