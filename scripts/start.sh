#!/usr/bin/env bash
# `npm start`: the whole of Poststelle on this machine, from a fresh clone.
#   install → build → Kafka broker (KRaft, from Maven Central) + PostgreSQL → five services → demo tenant,
#   routes and fees → demo applications through every channel → prints where to look. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
export NX_DAEMON=false KAFKAJS_NO_PARTITIONER_WARNING=1
SERVICES=(intake routing payment erechnung archive)
PORTS=(8081 8082 8083 8084 8085)
LOGS="$ROOT/.data/logs"
pids=()
started_kafka=0

say() { printf '\033[1m[poststelle]\033[0m %s\n' "$*"; }

stop_all() {
  trap - INT TERM EXIT
  say "stopping: services drain in-flight work first"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$started_kafka" = 1 ]; then bash deploy/local/infra.sh kafka-stop 1 || true; fi
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

if ! (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null; then started_kafka=1; fi
say "starting Kafka (KRaft) and finding PostgreSQL"
bash deploy/local/infra.sh kafka-start 1 >/dev/null
server_url=$(node deploy/local/postgres.js url)
DATABASE_URL=$(node -e '
  const { Client } = require("pg");
  const url = new URL(process.argv[1]);
  (async () => {
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", ["poststelle"]);
    if (rowCount === 0) await c.query("CREATE DATABASE poststelle");
    await c.end();
    url.pathname = "/poststelle";
    console.log(url.toString());
  })().catch((e) => { console.error(e.message); process.exit(1); });
' "$server_url")
export DATABASE_URL KAFKA_BROKERS=127.0.0.1:9092 BLOB_DIR="$ROOT/.data/blobs"

mkdir -p "$LOGS"
for i in "${!SERVICES[@]}"; do
  HTTP_PORT=${PORTS[$i]} node scripts/run-service.js "${SERVICES[$i]}" >"$LOGS/${SERVICES[$i]}.log" 2>&1 &
  pids+=($!)
done
for i in "${!SERVICES[@]}"; do
  for _ in $(seq 1 120); do
    if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:${PORTS[$i]}/health"; then break; fi
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then say "${SERVICES[$i]} failed to start:"; tail -20 "$LOGS/${SERVICES[$i]}.log"; exit 1; fi
    sleep 0.5
  done
  say "${SERVICES[$i]} ready on http://127.0.0.1:${PORTS[$i]}"
done

node scripts/run-ts.js scripts/demo.ts

cat <<TXT

Where to look
  Cases            curl http://127.0.0.1:8081/v1/cases/<caseId>        (the case and where it went)
  Routing          curl http://127.0.0.1:8082/v1/cases/<caseId>/routing (the decision, in words)
  Manual routing   curl http://127.0.0.1:8082/v1/manual-routing
  Payment          curl http://127.0.0.1:8083/v1/cases/<caseId>/payment
  Fee records      curl http://127.0.0.1:8084/v1/cases/<caseId>/fee-record
  E-file           curl http://127.0.0.1:8085/v1/cases/<caseId>/file
  Health, metrics  http://127.0.0.1:808{1..5}/health and /metrics (Prometheus)
  Logs (JSON)      $LOGS/<service>.log
  Kafka            127.0.0.1:9092, e.g. topic procedure.parking-potsdam.cases.v1
  Traces           set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. a collector from docker-compose.yml) before npm start

Press Ctrl-C to stop everything.
TXT
wait "${pids[@]}"
