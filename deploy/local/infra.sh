#!/usr/bin/env bash
# Real local infrastructure for Poststelle without a container engine.
#
#   infra.sh up                 single Kafka broker (KRaft) on 127.0.0.1:9092 + PostgreSQL; prints the env to use
#   infra.sh kafka-start [N]    N=1: single broker on 9092; N=3: three-node KRaft cluster on 29092-29094
#   infra.sh kafka-stop [N]     stops the broker(s) started with the same N
#   infra.sh kafka-kill NODE    SIGKILLs one node of the 3-node cluster (fault tests)
#   infra.sh kafka-restart-node NODE   starts a killed node of the 3-node cluster again
#   infra.sh kafka-purge [N]    stops the broker(s) started with the same N and deletes their data (fresh next start)
#   infra.sh pg-url             prints a reachable DATABASE_URL (DATABASE_URL, local server, else embedded)
#   infra.sh down               stops everything this script started
#
# The broker comes from Maven Central (org.apache.kafka:kafka_2.13, version pinned in deploy/local/kafka/pom.xml,
# override with KAFKA_VERSION). Data lives in <project>/.kafka (git-ignored); POSTSTELLE_STATE_DIR overrides it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${POSTSTELLE_STATE_DIR:-$ROOT/.kafka}"
POM="$ROOT/deploy/local/kafka/pom.xml"
KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

need_java() {
  command -v java >/dev/null || die "Java 17+ is required (java not found on PATH)"
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  [ "${major:-0}" -ge 17 ] || die "Java 17+ is required, found Java ${major:-unknown}"
}

mvn_cmd() {
  if command -v mvn >/dev/null; then echo mvn; else die "Maven is required to fetch the Kafka broker (mvn not found)"; fi
}

classpath() {
  local cpfile="$STATE/classpath-$KAFKA_VERSION.txt"
  if [ ! -s "$cpfile" ]; then
    mkdir -p "$STATE"
    log "fetching Apache Kafka $KAFKA_VERSION from Maven Central"
    "$(mvn_cmd)" -q -B -f "$POM" -Dkafka.version="$KAFKA_VERSION" dependency:build-classpath \
      -Dmdep.outputFile="$cpfile.tmp" >"$STATE/maven.log" 2>&1 || { cat "$STATE/maven.log" >&2; die "Maven could not resolve kafka_2.13:$KAFKA_VERSION"; }
    mv "$cpfile.tmp" "$cpfile"
  fi
  cat "$cpfile"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# node layout: single → id 1, broker 9092, controller 9093; cluster → ids 1..3, brokers 29092.., controllers 29192..
node_dir() { echo "$STATE/$1/node-$2"; }
broker_port() { if [ "$1" = single ]; then echo 9092; else echo $((29091 + $2)); fi; }
controller_port() { if [ "$1" = single ]; then echo 9093; else echo $((29191 + $2)); fi; }

write_props() {
  local mode=$1 id=$2 n=$3 dir voters="" i
  dir=$(node_dir "$mode" "$id")
  for i in $(seq 1 "$n"); do voters="$voters${voters:+,}$i@127.0.0.1:$(controller_port "$mode" "$i")"; done
  local rf=$(( n >= 3 ? 3 : 1 )) isr=$(( n >= 3 ? 2 : 1 ))
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(broker_port "$mode" "$id"),CONTROLLER://127.0.0.1:$(controller_port "$mode" "$id")
advertised.listeners=PLAINTEXT://127.0.0.1:$(broker_port "$mode" "$id")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
default.replication.factor=$rf
min.insync.replicas=$isr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
EOF
}

start_nodes() {
  local n=${1:-1} mode cp cluster_id id dir
  need_java
  mode=$([ "$n" = 1 ] && echo single || echo cluster)
  cp=$(classpath)
  mkdir -p "$STATE/$mode"
  if [ ! -s "$STATE/$mode/cluster.id" ]; then
    java -cp "$cp" kafka.tools.StorageTool random-uuid >"$STATE/$mode/cluster.id"
  fi
  cluster_id=$(cat "$STATE/$mode/cluster.id")
  for id in $(seq 1 "$n"); do
    dir=$(node_dir "$mode" "$id")
    if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then log "node $id already running"; continue; fi
    if port_open "$(broker_port "$mode" "$id")"; then
      log "port $(broker_port "$mode" "$id") is already served; using the broker that is there"; continue
    fi
    write_props "$mode" "$id" "$n"
    if [ ! -f "$dir/data/meta.properties" ]; then
      java -cp "$cp" -Dkafka.logs.dir="$dir" -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka/log4j2.properties" \
        kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" >"$dir/format.log" 2>&1 \
        || { cat "$dir/format.log" >&2; die "formatting KRaft storage for node $id failed"; }
    fi
    start_node "$mode" "$id"
  done
  for id in $(seq 1 "$n"); do wait_port "$(broker_port "$mode" "$id")" "Kafka node $id"; done
  log "Kafka $KAFKA_VERSION ready: $(bootstrap "$n")"
}

start_node() {
  local mode=$1 id=$2 dir cp
  dir=$(node_dir "$mode" "$id"); cp=$(classpath)
  nohup java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dkafka.logs.dir="$dir" -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka/log4j2.properties" \
    -cp "$cp" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/pid"
}

wait_port() {
  local port=$1 what=$2 i
  for i in $(seq 1 120); do port_open "$port" && return 0; sleep 0.5; done
  die "$what did not open port $port within 60 s (see $STATE)"
}

bootstrap() {
  local n=${1:-1} mode id out=""
  mode=$([ "$n" = 1 ] && echo single || echo cluster)
  for id in $(seq 1 "$n"); do out="$out${out:+,}127.0.0.1:$(broker_port "$mode" "$id")"; done
  echo "$out"
}

stop_nodes() {
  local n=${1:-1} mode id dir pid
  mode=$([ "$n" = 1 ] && echo single || echo cluster)
  for id in $(seq 1 "$n"); do
    dir=$(node_dir "$mode" "$id")
    [ -f "$dir/pid" ] || continue
    pid=$(cat "$dir/pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"; for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
  done
}

kill_node() {
  local id=$1 dir
  dir=$(node_dir cluster "$id")
  [ -f "$dir/pid" ] || die "cluster node $id is not running"
  kill -9 "$(cat "$dir/pid")" 2>/dev/null || true
  rm -f "$dir/pid"
}

restart_node() { start_node cluster "$1"; wait_port "$(broker_port cluster "$1")" "Kafka node $1"; }

pg_url() { node "$ROOT/deploy/local/postgres.js" url; }

case "${1:-}" in
  up)
    start_nodes 1
    url=$(pg_url)
    printf 'KAFKA_BROKERS=%s\nDATABASE_URL=%s\n' "$(bootstrap 1)" "$url"
    ;;
  kafka-start) start_nodes "${2:-1}"; bootstrap "${2:-1}" ;;
  kafka-stop) stop_nodes "${2:-1}" ;;
  kafka-purge)
    stop_nodes "${2:-1}"
    rm -rf "${STATE:?}/$([ "${2:-1}" = 1 ] && echo single || echo cluster)"
    ;;
  kafka-kill) kill_node "${2:?node id}" ;;
  kafka-restart-node) restart_node "${2:?node id}" ;;
  kafka-fetch) need_java; classpath >/dev/null; log "Kafka $KAFKA_VERSION fetched" ;;
  pg-url) pg_url ;;
  down)
    stop_nodes 1; stop_nodes 3
    node "$ROOT/deploy/local/postgres.js" stop || true
    ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
