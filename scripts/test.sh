#!/usr/bin/env bash
# The whole test suite, as CI runs it (`npm test`, called by .ci/run):
#   install → typecheck → lint (incl. Nx module boundaries) → format check → build → unit tests
#   → real Kafka broker (KRaft, from Maven Central) + PostgreSQL → integration tests → end-to-end tests.
# A fresh machine needs Node ≥ 20.19, Java ≥ 17 and Maven; everything else is fetched here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NX_DAEMON=false NX_NO_CLOUD=true KAFKAJS_NO_PARTITIONER_WARNING=1

step() { printf '\n==> %s\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing dependencies"
  # `npm install` honours package-lock.json; `npm ci` refuses this lock file on registries that do not serve every
  # platform's optional binaries (jest's unrs-resolver), which is the case on our build machines.
  npm install --no-audit --no-fund
fi

step "typecheck"
npx tsc -p tsconfig.json --noEmit
step "lint (type-aware rules, Nx module boundaries, zero warnings)"
npx nx show projects >/dev/null   # computes the project graph the boundary rule reads
npx eslint . --max-warnings 0
step "API documents: docs/openapi.yaml and docs/asyncapi.yaml (Redocly, recommended rules, no error)"
npm run -s lint:api
step "format"
npx prettier --check . >/dev/null
step "OCR tools for the paper-scan channel (Debian packages, installed only when missing)"
bash scripts/setup-ocr.sh
step "build"
npx tsc -p tsconfig.build.json
step "XRechnung validation rules (Maven Central, pinned; compiled to SEF once)"
bash tools/xrechnung/build-rules.sh

results=$(mktemp -d)
run_jest() {
  local tier=$1; shift
  step "$tier tests"
  npx jest -c jest.config.js --selectProjects "$tier" --json --outputFile="$results/$tier.json" "$@"
}

run_jest unit --maxWorkers=2

step "infrastructure: Kafka broker and PostgreSQL"
started_kafka=0
if ! (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null; then started_kafka=1; fi
cleanup() {
  if [ "$started_kafka" = 1 ]; then bash deploy/local/infra.sh kafka-stop 1 || true; fi
  rm -rf "$results"
}
trap cleanup EXIT
bash deploy/local/infra.sh kafka-start 1 >/dev/null
export KAFKA_BROKERS=127.0.0.1:9092
DATABASE_URL=$(node deploy/local/postgres.js url)
export DATABASE_URL

run_jest integration --runInBand
step "browser for the console's end-to-end tests (Debian package chromium, installed only when missing)"
bash scripts/setup-browser.sh
# Two end-to-end specs at a time (each its own stack: database, topic namespace, ports); then, one at a time, the fault
# specs (their own broker cluster or database server, processes killed under a 1,000-case load).
run_jest e2e --maxWorkers=2
run_jest e2e-serial --runInBand

node -e '
  const fs = require("fs"); let passed = 0, failed = 0;
  for (const tier of ["unit", "integration", "e2e", "e2e-serial"]) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + tier + ".json", "utf8"));
    console.log(`${tier}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    passed += r.numPassedTests; failed += r.numFailedTests;
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
' "$results"
