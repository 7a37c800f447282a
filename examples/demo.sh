#!/usr/bin/env bash
# Lamina's demo in one command: two catalog-service instances (Spring Boot, PostgreSQL, Lamina with a Redis L2 and
# a NATS bus) and one pricing-service instance (Quarkus, same database, Redis and bus) under a mixed read/write
# load, every response checked against the row versions the database returned, Redis stopped midway for a few
# seconds, then a summary and a chart.
#
#   examples/demo.sh [--short] [--no-build] [--seconds N] [--redis URL] [--nats URL] [--db JDBC-URL]
#
#   --short      a 20 s run (CI runs it as a smoke test)
#   --no-build   use the jars already under target/ (CI builds them just before)
#   --redis/--nats/--db (or LAMINA_REDIS_URL, LAMINA_NATS_URL, LAMINA_DB_URL; a JDBC URL with its user and
#                password): use these servers instead of
#                starting redis-server and nats-server on free loopback ports and an embedded PostgreSQL. Redis is
#                stopped midway only when the demo started it.
#
# Needs JDK 17+, and redis-server and nats-server on the PATH unless URLs are given. Everything the demo starts
# is stopped by PID when it ends or on Ctrl-C. Output: the summary on stdout; logs, demo-summary.txt and
# demo-chart.png under examples/demo-driver/target/demo/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds=60 outage_for=5 build=1 read_rate=400 write_rate=20 warmup=10
redis_url="${LAMINA_REDIS_URL:-}" nats_url="${LAMINA_NATS_URL:-}" db_url="${LAMINA_DB_URL:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=20 outage_for=3 read_rate=200 write_rate=10 warmup=5 ;;
    --no-build) build=0 ;;
    --seconds) seconds="$2"; shift ;;
    --redis) redis_url="$2"; shift ;;
    --nats) nats_url="$2"; shift ;;
    --db) db_url="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

out="examples/demo-driver/target/demo" # relative: the script runs from the repository root
pids=()
redis_pid=""
server_pid="" server_port=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$redis_pid" ] && kill -CONT "$redis_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true # a server still on its way up
  # Newest first: the catalog instance that owns the embedded PostgreSQL stops it on its way down.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ ${#pids[@]} -gt 0 ] && echo "stopped what the demo started (pids ${pids[*]})"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Ports come from below the kernel's ephemeral range, so that a client socket the system handed out (a build
# leaves thousands behind) cannot hold the port a server is about to bind.
ephemeral_low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local p span=$((ephemeral_low - 20000))
  [ "$span" -gt 1000 ] || span=12000
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % span))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free loopback port found" >&2; exit 1
}

listens() { # port pid seconds: 0 once the port accepts, 1 when the process ended or the time ran out
  for _ in $(seq 1 $(($3 * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Starts a server on a free port, up to three tries: another process may take the port between the probe and the
# bind. Sets server_port and server_pid; on the third failure prints the end of the server's log and stops.
start_server() { # name command-and-arguments, with PORT standing for the port
  local name=$1 try p arg
  shift
  for try in 1 2 3; do
    p=$(free_port)
    local args=()
    for arg in "$@"; do args+=("${arg//PORT/$p}"); done
    "${args[@]}" > "$out/$name.log" 2>&1 &
    server_pid=$!
    if listens "$p" "$server_pid" 15; then server_port=$p; return 0; fi
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    echo "$name did not listen on 127.0.0.1:$p (try $try of 3); its log ends:" >&2
    tail -5 "$out/$name.log" >&2 || true
  done
  echo "$name could not be started; see $out/$name.log" >&2; exit 1
}

catalog_jar="examples/catalog-service/target/lamina-example-catalog-service-0.1.0-SNAPSHOT.jar"
if [ "$build" = 1 ] || [ ! -f "$catalog_jar" ] || [ ! -d examples/demo-driver/target/lib ]; then
  echo "building the catalog and pricing services and the load driver (./mvnw -pl ... -am package -DskipTests)"
  ./mvnw -q -B -pl examples/catalog-service,examples/pricing-service,examples/demo-driver -am package -DskipTests
fi
rm -rf "$out" && mkdir -p "$out"

if [ -z "$redis_url" ]; then
  start_server redis redis-server --port PORT --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes
  redis_pid=$server_pid; pids+=("$redis_pid")
  redis_url="redis://127.0.0.1:$server_port"
  echo "started redis-server (pid $redis_pid) on $redis_url"
fi
if [ -z "$nats_url" ]; then
  nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  start_server nats "$nats_bin" -a 127.0.0.1 -p PORT
  pids+=("$server_pid")
  nats_url="nats://127.0.0.1:$server_port"
  echo "started nats-server (pid $server_pid) on $nats_url"
fi

java_opts=(-Xmx384m -XX:+UseSerialGC)
common=(--server.address=127.0.0.1 --lamina.redis.address="$redis_url" --lamina.bus.nats.url="$nats_url"
  --lamina.redis.timeout=300ms --lamina.defaults.remote-timeout=300ms --logging.level.root=WARN
  --logging.level.io.lamina=INFO --logging.level.io.lamina.examples=INFO)
port_a=$(free_port)
if [ -z "$db_url" ]; then
  java "${java_opts[@]}" -jar "$catalog_jar" "${common[@]}" --server.port="$port_a" \
    --catalog.embedded-postgres.url-file="$out/postgres.url" > "$out/catalog-a.log" 2>&1 &
  pids+=($!)
  echo "starting catalog A (pid ${pids[-1]}) on http://127.0.0.1:$port_a, with an embedded PostgreSQL"
  for _ in $(seq 1 1800); do [ -s "$out/postgres.url" ] && break; kill -0 "${pids[-1]}" || break; sleep 0.1; done
  [ -s "$out/postgres.url" ] || { echo "the embedded PostgreSQL did not start; see $out/catalog-a.log" >&2; exit 1; }
  db_url=$(cat "$out/postgres.url")
  db_args=(--spring.datasource.url="$db_url" --spring.datasource.username=postgres)
  pricing_db_args=(-Dpricing.datasource.url="$db_url" -Dpricing.datasource.username=postgres)
else
  db_args=(--spring.datasource.url="$db_url")
  pricing_db_args=(-Dpricing.datasource.url="$db_url")
  java "${java_opts[@]}" -jar "$catalog_jar" "${common[@]}" "${db_args[@]}" --server.port="$port_a" \
    > "$out/catalog-a.log" 2>&1 &
  pids+=($!)
  echo "starting catalog A (pid ${pids[-1]}) on http://127.0.0.1:$port_a"
fi
port_b=$(free_port)
java "${java_opts[@]}" -jar "$catalog_jar" "${common[@]}" "${db_args[@]}" --server.port="$port_b" \
  > "$out/catalog-b.log" 2>&1 &
pids+=($!)
echo "starting catalog B (pid ${pids[-1]}) on http://127.0.0.1:$port_b, database $db_url"

# The Quarkus pricing service joins when it has been built (examples/pricing-service), on the catalog's database.
pricing_jar="examples/pricing-service/target/quarkus-app/quarkus-run.jar"
pricing_args=()
if [ -f "$pricing_jar" ]; then
  port_p=$(free_port)
  java "${java_opts[@]}" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port_p" \
    -Dquarkus.lamina.redis.address="$redis_url" -Dquarkus.lamina.bus.nats.url="$nats_url" \
    -Dquarkus.lamina.redis.timeout=300ms -Dquarkus.lamina.defaults.remote-timeout=300ms \
    "${pricing_db_args[@]}" -jar "$pricing_jar" > "$out/pricing.log" 2>&1 &
  pids+=($!)
  pricing_args=(--pricing "http://127.0.0.1:$port_p")
  echo "starting pricing (pid ${pids[-1]}) on http://127.0.0.1:$port_p, database $db_url"
else
  echo "(no pricing service: examples/pricing-service is not built)"
fi

driver_args=(--instances "http://127.0.0.1:$port_a,http://127.0.0.1:$port_b" --seconds "$seconds"
  --read-rate "$read_rate" --write-rate "$write_rate" --warmup "$warmup" --out "$out" --db "$db_url"
  ${pricing_args[@]+"${pricing_args[@]}"})
[ -t 1 ] && driver_args+=(--progress bar)
[ -n "$redis_pid" ] && driver_args+=(--redis-pid "$redis_pid" --outage-for "$outage_for")
java -Xmx256m -cp "examples/demo-driver/target/classes:examples/demo-driver/target/lib/*" \
  io.lamina.examples.demo.DemoDriver "${driver_args[@]}"
