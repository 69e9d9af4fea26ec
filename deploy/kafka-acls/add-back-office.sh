#!/usr/bin/env bash
# Onboards one back office: a SCRAM principal that reads only its procedure topic and reports status.
# Usage: add-back-office.sh <bootstrap> <admin.properties> <procedureId> <password>
set -euo pipefail
BOOTSTRAP=${1:?bootstrap servers}
CONFIG=${2:?admin client properties}
PROCEDURE=${3:?procedure id}
PASSWORD=${4:?password for the new principal}
[[ "$PROCEDURE" =~ ^[a-z0-9][a-z0-9-]{1,62}$ ]] || { echo "invalid procedure id" >&2; exit 2; }
PRINCIPAL="bo-$PROCEDURE"

kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --alter \
  --add-config "SCRAM-SHA-512=[iterations=8192,password=$PASSWORD]" --entity-type users --entity-name "$PRINCIPAL"
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --add --allow-principal "User:$PRINCIPAL" \
  --operation Read --operation Describe --topic "procedure.$PROCEDURE.cases.v1"
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --add --allow-principal "User:$PRINCIPAL" \
  --operation Read --group "$PRINCIPAL" --resource-pattern-type prefixed
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --add --allow-principal "User:$PRINCIPAL" \
  --operation Write --operation Describe --topic cases.status.v1
