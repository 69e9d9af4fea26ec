#!/usr/bin/env bash
# `npm start`: the whole of Poststelle on this machine, from a fresh clone.
#   install → build → Kafka broker (KRaft, from Maven Central) + PostgreSQL → five services → demo tenant,
#   routes and fees → demo applications through every channel → prints where to look. Ctrl-C stops everything.
# Needs nothing beside the clone. Options (environment):
#   POSTSTELLE_PORT_BASE=8081        HTTP port of intake; routing, payment, erechnung, archive take the next four,
#                                    the operator console the one after (8086; CONSOLE_PORT overrides it)
#   POSTSTELLE_DB_NAME=poststelle    the database created (if missing) and used on the PostgreSQL server found
#   POSTSTELLE_EXIT_AFTER_DEMO=1     stop everything and exit 0 once the demo has completed (exit 1 if it failed)
#   POSTSTELLE_KAFKA_NODES=3         cluster mode: a three-broker KRaft cluster on 29092-29094, topics created with
#                                    replication factor 3 and min.insync.replicas 2 (default 1: a single broker on 9092)
#   OIDC_PORT=<port base + 9>       port of the embedded OpenID provider (issuer http://127.0.0.1:<port>); its signing
#                                    key and the demo clients' secrets are kept in .data/oidc (npm run -s token -- <client>)
# The demo scan centre (a CA and its seal certificate, made with openssl at first start) is kept in .data/scan-centre;
# intake trusts its CA (SCAN_CENTRE_TRUST_DIR) and refuses unsealed batch indexes, and the demo seals its index.
# Service settings (e.g. KAFKA_NAMESPACE, SMTP_PORT) are passed through to the services and the demo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
export NX_DAEMON=false KAFKAJS_NO_PARTITIONER_WARNING=1
PORT_BASE=${POSTSTELLE_PORT_BASE:-8081}
DB_NAME=${POSTSTELLE_DB_NAME:-poststelle}
EXIT_AFTER_DEMO=${POSTSTELLE_EXIT_AFTER_DEMO:-0}
KAFKA_NODES=${POSTSTELLE_KAFKA_NODES:-1}
if [ "$KAFKA_NODES" != 1 ] && [ "$KAFKA_NODES" != 3 ]; then
  echo "POSTSTELLE_KAFKA_NODES must be 1 or 3, got '$KAFKA_NODES'" >&2
  exit 2
fi
if ! [[ "$PORT_BASE" =~ ^[0-9]+$ ]] || [ "$PORT_BASE" -lt 1024 ] || [ "$PORT_BASE" -gt 65531 ]; then
  echo "POSTSTELLE_PORT_BASE must be a port from 1024 to 65531, got '$PORT_BASE'" >&2
  exit 2
fi
if ! [[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
  echo "POSTSTELLE_DB_NAME must be lower-case letters, digits and _, got '$DB_NAME'" >&2
  exit 2
fi
SERVICES=(intake routing payment erechnung archive)
PORTS=()
for i in "${!SERVICES[@]}"; do PORTS+=($((PORT_BASE + i))); done
CONSOLE_PORT=${CONSOLE_PORT:-$((PORT_BASE + 5))}
CONSOLE_URL="http://127.0.0.1:$CONSOLE_PORT"
LOGS="$ROOT/.data/logs"
pids=()
started_kafka=0

say() { printf '\033[1m[poststelle]\033[0m %s\n' "$*"; }

stop_all() {
  trap - INT TERM EXIT
  say "stopping: services drain in-flight work first"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$started_kafka" = 1 ]; then bash deploy/local/infra.sh kafka-stop "$KAFKA_NODES" || true; fi
  node deploy/local/postgres.js stop >/dev/null 2>&1 || true
  say "stopped"
}
trap stop_all INT TERM EXIT

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing dependencies"
  # `npm install` honours package-lock.json; `npm ci` refuses this lock file on registries that do not serve every
  # platform's optional binaries (jest's unrs-resolver), which is the case on our build machines.
  npm install --no-audit --no-fund
fi
say "OCR tools (paper scan)"
bash scripts/setup-ocr.sh
say "building"
npx tsc -p tsconfig.build.json
bash tools/xrechnung/build-rules.sh

first_broker=$([ "$KAFKA_NODES" = 3 ] && echo 29092 || echo 9092)
if ! (exec 3<>"/dev/tcp/127.0.0.1/$first_broker") 2>/dev/null; then started_kafka=1; fi
say "starting Kafka (KRaft, $KAFKA_NODES node(s)) and finding PostgreSQL"
KAFKA_BROKERS=$(bash deploy/local/infra.sh kafka-start "$KAFKA_NODES")
if [ "$KAFKA_NODES" = 3 ]; then
  export KAFKA_REPLICATION_FACTOR=${KAFKA_REPLICATION_FACTOR:-3} KAFKA_MIN_INSYNC_REPLICAS=${KAFKA_MIN_INSYNC_REPLICAS:-2}
fi
server_url=$(node deploy/local/postgres.js url)
DATABASE_URL=$(node -e '
  const { Client } = require("pg");
  const url = new URL(process.argv[1]);
  (async () => {
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    const name = process.argv[2];
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
    url.pathname = `/${name}`;
    console.log(url.toString());
  })().catch((e) => { console.error(e.message); process.exit(1); });
' "$server_url" "$DB_NAME")
export DATABASE_URL KAFKA_BROKERS BLOB_DIR="$ROOT/.data/blobs"
# where the demo finds the services
export INTAKE_URL="http://127.0.0.1:${PORTS[0]}" ROUTING_URL="http://127.0.0.1:${PORTS[1]}" PAYMENT_URL="http://127.0.0.1:${PORTS[2]}"
export ERECHNUNG_URL="http://127.0.0.1:${PORTS[3]}" ARCHIVE_URL="http://127.0.0.1:${PORTS[4]}"

mkdir -p "$LOGS"
# The demo scan centre's PKI: made once (again when the seal certificate runs out within a day), like the OIDC keys.
SCAN_CENTRE="$ROOT/.data/scan-centre"
if ! openssl x509 -in "$SCAN_CENTRE/signer.pem" -noout -checkend 86400 >/dev/null 2>&1 || [ ! -f "$SCAN_CENTRE/trust/ca.pem" ]; then
  say "making the demo scan centre's CA and seal certificate (.data/scan-centre)"
  rm -rf "$SCAN_CENTRE" && mkdir -p "$SCAN_CENTRE/trust" && chmod 700 "$SCAN_CENTRE"
  (
    cd "$SCAN_CENTRE"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
      -subj '/C=DE/O=Scanzentrum Brandenburg (Demo)/CN=Scanzentrum Brandenburg Demo-CA' 2>>"$LOGS/scan-centre-pki.log"
    openssl req -newkey rsa:2048 -nodes -keyout signer.key -out signer.csr \
      -subj '/C=DE/O=Scanzentrum Brandenburg (Demo)/CN=Scanzentrum Brandenburg Siegel' 2>>"$LOGS/scan-centre-pki.log"
    openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out signer.pem -days 825 2>>"$LOGS/scan-centre-pki.log"
    cp ca.pem trust/ca.pem
  )
fi
export SCAN_CENTRE_TRUST_DIR=${SCAN_CENTRE_TRUST_DIR:-$SCAN_CENTRE/trust} DEMO_SCAN_CENTRE_DIR="$SCAN_CENTRE"
# Payment's key for the provider credentials at rest (AES-256-GCM): made once, kept like the OIDC keys.
PAYMENT_KEY_FILE="$ROOT/.data/payment-credentials.key"
if [ ! -s "$PAYMENT_KEY_FILE" ]; then
  (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$PAYMENT_KEY_FILE")
fi
if [ -z "${PAYMENT_CREDENTIALS_KEY:-}" ]; then export PAYMENT_CREDENTIALS_KEY_FILE=${PAYMENT_CREDENTIALS_KEY_FILE:-$PAYMENT_KEY_FILE}; fi
OIDC_PORT=${OIDC_PORT:-$((PORT_BASE + 9))}
export OIDC_ISSUER="http://127.0.0.1:$OIDC_PORT" OIDC_DATA_DIR="$ROOT/.data/oidc"
say "starting the OpenID provider on $OIDC_ISSUER"
OIDC_PORT=$OIDC_PORT OIDC_CONSOLE_REDIRECT_URIS="$CONSOLE_URL/callback,http://localhost:$CONSOLE_PORT/callback" \
  node deploy/local/oidc/provider.mjs >"$LOGS/oidc.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$OIDC_ISSUER/.well-known/openid-configuration"; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then say "the OpenID provider failed to start:"; tail -20 "$LOGS/oidc.log"; exit 1; fi
  sleep 0.5
done
for i in "${!SERVICES[@]}"; do
  HTTP_PORT=${PORTS[$i]} node scripts/run-service.js "${SERVICES[$i]}" >"$LOGS/${SERVICES[$i]}.log" 2>&1 &
  pids+=($!)
done
# Waits until <url>/health answers 200 (120 s); stops start-up with the log's tail if the process <pid> ended.
wait_healthy() {
  local name=$1 url=$2 pid=$3
  for _ in $(seq 1 240); do
    if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url/health"; then
      say "$name ready on $url"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then say "$name failed to start:"; tail -20 "$LOGS/$name.log"; exit 1; fi
    sleep 0.5
  done
  say "$name did not become healthy in 120 s"
  exit 1
}
for i in "${!SERVICES[@]}"; do wait_healthy "${SERVICES[$i]}" "http://127.0.0.1:${PORTS[$i]}" "${pids[$((i + 1))]}"; done
# The operator console: people sign in at the provider and work through the services' APIs with their own token.
CONSOLE_PORT=$CONSOLE_PORT CONSOLE_PUBLIC_URL=$CONSOLE_URL node scripts/run-service.js console >"$LOGS/console.log" 2>&1 &
pids+=($!)
wait_healthy console "$CONSOLE_URL" "$!"

node scripts/run-ts.js scripts/demo.ts
if [ "$EXIT_AFTER_DEMO" = 1 ]; then
  say "demo completed; POSTSTELLE_EXIT_AFTER_DEMO=1: stopping"
  exit 0
fi

cat <<TXT

Operator console   $CONSOLE_URL
  Sign in with any password as clerk-potsdam (caseworker, Potsdam), clerk-other (caseworker, another tenant),
  admin-potsdam (tenant admin), auditor-demo (audit log) or platform-admin (repair, health, everything).

Where to look (each API call needs a token: add -H "authorization: Bearer \$(npm run -s token -- operator-potsdam)")
  Cases            curl $INTAKE_URL/v1/cases/<caseId>        (the case and where it went)
  Routing          curl $ROUTING_URL/v1/cases/<caseId>/routing (the decision, in words)
  Manual routing   curl $ROUTING_URL/v1/manual-routing
  Payment          curl $PAYMENT_URL/v1/cases/<caseId>/payment
  Fee records      curl $ERECHNUNG_URL/v1/cases/<caseId>/fee-record
  E-file           curl $ARCHIVE_URL/v1/cases/<caseId>/file
  Access tokens    npm run -s token -- <client>   (channel-demo, operator-potsdam, operator-other, admin-potsdam, auditor-demo,
                   platform-admin), e.g. curl -H "authorization: Bearer \$(npm run -s token -- operator-potsdam)" ...
  OpenID provider  $OIDC_ISSUER/.well-known/openid-configuration (secrets of the demo clients: .data/oidc/clients.json)
  Health, metrics  http://127.0.0.1:{${PORTS[0]}..${PORTS[4]}}/health and /metrics (Prometheus)
  Logs (JSON)      $LOGS/<service>.log
  Kafka            $KAFKA_BROKERS, e.g. topic procedure.parking-potsdam.cases.v1
  Traces           set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. a collector from docker-compose.yml) before npm start

Press Ctrl-C to stop everything.
TXT
wait "${pids[@]}"
