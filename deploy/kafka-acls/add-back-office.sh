#!/usr/bin/env bash
# Onboards one back office: a SCRAM principal that reads only its procedure's cases topic and writes only its
# procedure's status topic (ADR 0013).
# Usage: add-back-office.sh <bootstrap> <admin.properties> <procedureId> <password> [--legacy-shared-status]
#   --legacy-shared-status  also grant WRITE on the deprecated shared cases.status.v1, for a back office that has not
#                           moved to procedure.<procedureId>.status.v1 yet (remove it again: see README.md).
set -euo pipefail
BOOTSTRAP=${1:?bootstrap servers}
CONFIG=${2:?admin client properties}
PROCEDURE=${3:?procedure id}
PASSWORD=${4:?password for the new principal}
LEGACY=${5:-}
[[ "$PROCEDURE" =~ ^[a-z0-9][a-z0-9-]{1,62}$ ]] || { echo "invalid procedure id" >&2; exit 2; }
[[ -z "$LEGACY" || "$LEGACY" == "--legacy-shared-status" ]] || { echo "unknown option $LEGACY" >&2; exit 2; }
PRINCIPAL="bo-$PROCEDURE"
acl() { kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --add --allow-principal "User:$PRINCIPAL" "$@"; }

kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --alter \
  --add-config "SCRAM-SHA-512=[iterations=8192,password=$PASSWORD]" --entity-type users --entity-name "$PRINCIPAL"
acl --operation Read --operation Describe --topic "procedure.$PROCEDURE.cases.v1"
# Literal: the back office's consumer group is exactly its principal's name. A prefixed `bo-parking` would also
# cover the group of `bo-parking-b`, letting one back office take over another's offsets.
acl --operation Read --group "$PRINCIPAL"
# Literal, not prefixed: `procedure.parking.` would also match `procedure.parking-b.status.v1`.
acl --operation Write --operation Describe --topic "procedure.$PROCEDURE.status.v1"
if [[ -n "$LEGACY" ]]; then
  acl --operation Write --operation Describe --topic cases.status.v1
fi
