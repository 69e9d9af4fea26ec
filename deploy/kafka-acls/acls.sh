#!/usr/bin/env bash
# Applies the service ACLs from README.md. Usage: acls.sh <bootstrap> <admin.properties>
set -euo pipefail
BOOTSTRAP=${1:?bootstrap servers}
CONFIG=${2:?admin client properties (SASL/SCRAM admin)}
acl() { kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --add "$@"; }

read_topic() { # principal topic group
  acl --allow-principal "User:$1" --operation Read --operation Describe --topic "$2"
  acl --allow-principal "User:$1" --operation Read --group "$3"
}
write_topic() { # principal topic [prefixed]
  acl --allow-principal "User:$1" --operation Write --operation Describe --operation Create --topic "$2" ${3:+--resource-pattern-type prefixed}
  acl --allow-principal "User:$1" --operation IdempotentWrite --cluster
}

read_topic svc-intake intake.submissions.v1 intake.submissions
for t in cases.routed.v1 routing.manual.v1 payments.events.v1 archive.records.v1 invoices.events.v1; do read_topic svc-intake "$t" intake.case-timeline; done
write_topic svc-intake cases.received.v1
write_topic svc-intake cases.evidence.v1
write_topic svc-intake invoices.inbound.v1
write_topic svc-intake dlq.intake. prefixed

read_topic svc-routing cases.received.v1 routing
# Status: every procedure.<procedureId>.status.v1 through one topic-pattern subscription (ADR 0013). A prefixed ACL
# cannot say "ends in .status.v1", so routing may read all procedure.* topics; it writes the .cases.v1 ones anyway.
acl --allow-principal User:svc-routing --operation Read --operation Describe --topic procedure. --resource-pattern-type prefixed
acl --allow-principal User:svc-routing --operation Read --group routing.status
# Deprecated shared status topic, read while LEGACY_SHARED_STATUS_TOPIC is on; drop with the flag.
acl --allow-principal User:svc-routing --operation Read --operation Describe --topic cases.status.v1
read_topic svc-routing cases.evidence.v1 routing.evidence
read_topic svc-routing payments.events.v1 routing.payment-gate
read_topic svc-routing payments.fee-schedule.v1 routing.payment-gate
write_topic svc-routing procedure. prefixed
for t in cases.routed.v1 routing.manual.v1 notifications.portal.v1 notifications.postal.v1; do write_topic svc-routing "$t"; done
write_topic svc-routing dlq.routing prefixed

read_topic svc-payment cases.received.v1 payment
write_topic svc-payment payments.events.v1
write_topic svc-payment payments.fee-schedule.v1
write_topic svc-payment dlq.payment.v1

read_topic svc-erechnung payments.events.v1 erechnung
read_topic svc-erechnung invoices.inbound.v1 erechnung.inbound-invoices
write_topic svc-erechnung invoices.events.v1
write_topic svc-erechnung dlq.erechnung prefixed

read_topic svc-archive cases.routed.v1 archive
write_topic svc-archive archive.records.v1
write_topic svc-archive dlq.archive.v1

read_topic portal-mailbox notifications.portal.v1 portal-mailbox
read_topic print-mail notifications.postal.v1 print-mail
