#!/usr/bin/env bash
# Onboards one back office: a SCRAM principal that reads only its procedure's cases topic and writes only its
# procedure's status topic (ADR 0013).
# Usage: add-back-office.sh <bootstrap> <admin.properties> <procedureId> [--legacy-shared-status] < password-file
#   The new principal's password is read from standard input (prompted for, unechoed, on a terminal), never taken
#   as an argument: a command line is visible to every user of the machine (ps, /proc) and kept in shell history.
#   It reaches kafka-configs.sh in a private temporary file (--add-config-file), removed on exit.
#   --legacy-shared-status  also grant WRITE on the deprecated shared cases.status.v1, for a back office that has not
#                           moved to procedure.<procedureId>.status.v1 yet (remove it again: see README.md).
set -euo pipefail
BOOTSTRAP=${1:?bootstrap servers}
CONFIG=${2:?admin client properties}
PROCEDURE=${3:?procedure id}
LEGACY=${4:-}
[[ "$PROCEDURE" =~ ^[a-z0-9][a-z0-9-]{1,62}$ ]] || { echo "invalid procedure id" >&2; exit 2; }
[[ -z "$LEGACY" || "$LEGACY" == "--legacy-shared-status" ]] || { echo "unknown option $LEGACY" >&2; exit 2; }
PRINCIPAL="bo-$PROCEDURE"
if [ -t 0 ]; then
  read -rs -p "password for $PRINCIPAL: " PASSWORD
  echo >&2
else
  IFS= read -r PASSWORD || [ -n "$PASSWORD" ]
fi
[ "${#PASSWORD}" -ge 16 ] || { echo "the password must have at least 16 characters" >&2; exit 2; }
# kafka-configs splits the credential at commas and line breaks; such a password would be cut silently.
[[ "$PASSWORD" != *[,$'\n\r']* ]] || { echo "the password must not contain a comma or a line break" >&2; exit 2; }
SECRETS=$(mktemp -d)
trap 'rm -rf "$SECRETS"' EXIT
(umask 077 && printf 'SCRAM-SHA-512=iterations=8192,password=%s\n' "$PASSWORD" > "$SECRETS/scram.properties")
unset PASSWORD
acl() { kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --add --allow-principal "User:$PRINCIPAL" "$@"; }

kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --alter \
  --add-config-file "$SECRETS/scram.properties" --entity-type users --entity-name "$PRINCIPAL"
acl --operation Read --operation Describe --topic "procedure.$PROCEDURE.cases.v1"
# Literal: the back office's consumer group is exactly its principal's name. A prefixed `bo-parking` would also
# cover the group of `bo-parking-b`, letting one back office take over another's offsets.
acl --operation Read --group "$PRINCIPAL"
# Literal, not prefixed: `procedure.parking.` would also match `procedure.parking-b.status.v1`.
acl --operation Write --operation Describe --topic "procedure.$PROCEDURE.status.v1"
if [[ -n "$LEGACY" ]]; then
  acl --operation Write --operation Describe --topic cases.status.v1
fi
