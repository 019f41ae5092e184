#!/usr/bin/env bash
# Seeded grammar-based fuzzing of a Dossier server over every dialect (OWS, the File API, Youforce,
# Opus 2, LogicalDOC), the admin API and raw HTTP. On demand only; CI runs the
# short version (it/src/test/java/io/dossier/it/FuzzIT.java, 5,000 requests of one seed).
#
#   bench/fuzz.sh [seed] [requests] [h2|postgres|postgres-s3] [options]
#   bench/fuzz.sh --replay <saved request file>… [--port N]      resend saved requests to a running server
#
#   seed      the run's seed (default 1): the same seed generates the same requests
#   requests  how many requests (default 20000)
#   storage   h2 (default): `dossier dev` on a fresh data folder (embedded H2 + blob folder);
#             postgres: the same on a new database of PostgreSQL at 127.0.0.1:5432 (trust auth, user
#             postgres; dropped afterwards, unless --keep); postgres-s3: that, and blobs on an s3proxy
#             process (the jar from ~/.m2, as the it/ tests use it)
#
# The script builds what it needs (./dossier's jar; the fuzzer's classes in it/target/test-classes
# with `mvn -pl it -am test-compile`, as the README's test commands do), starts the server itself on
# a free port, reads <data>/demo-credentials.json (admin token, OWS API key, File API clients) so
# that fuzzed requests get past authentication, and runs io.dossier.it.fuzz.FuzzMain: requests from
# grammars for OWS JSON-RPC (getListEx with what, nested conditions, sort, limit; MultiService lists
# and keyed objects; params as a list or keyed "0"), OWS XML-RPC (DOCTYPE, entities, wrong types),
# multipart uploads (OWS and File API), File API $filter/$orderBy/paging, Range headers, admin JSON,
# token forms and raw HTTP framing, each valid-ish or damaged, 4 at a time, each on its own
# connection with a 10 s limit. It prints requests sent, answers by status class, every 5xx grouped
# by cause (the exception and our first stack frame, read from the server's log by the reference the
# answer carries) and hangs, then checks GET /health/ready.
#
# FAILS (exit 1) on any 5xx other than 505 for a bad HTTP version, any request without a complete
# answer within 10 s, or /health/ready not 200 after the run. The work folder (kept when the run
# fails, or with --keep) holds server.log, report.txt and findings/<index>-<grammar>.http: each
# failing request's exact bytes, replayable with --replay (same data folder: restart with
# `./dossier dev --data <work>/data`, then `bench/fuzz.sh --replay <work>/findings/*.http --port 8080`;
# on PostgreSQL run with --keep, so that the database stays too).
#
# Options: --concurrency N (4)   --max-seconds N (3600: stop sending after that)   --keep
#          --work DIR (default: a new mktemp -d)
# Needs a JDK 21+ (JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH), Maven,
# curl; psql for the PostgreSQL setups. 20,000 requests take 2-5 minutes on 2 busy cores, plus the
# start (demo seeding: up to a minute).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() {
  sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "fuzz.sh: $*" >&2
  exit 1
}

seed=1 requests=20000 storage=h2 concurrency=4 max_seconds=3600 keep=0 work="" port="" replay=()
positional=0
while (($#)); do
  case $1 in
    --replay)
      shift
      while (($#)) && [[ $1 != --* ]]; do replay+=("$1"); shift; done
      ;;
    --port) port=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --work) work=$2; shift 2 ;;
    -h | --help) usage ;;
    --*) echo "fuzz.sh: unknown option $1" >&2; usage ;;
    *)
      case $positional in
        0) seed=$1 ;;
        1) requests=$1 ;;
        2) storage=$1 ;;
        *) usage ;;
      esac
      positional=$((positional + 1))
      shift
      ;;
  esac
done
[[ $seed =~ ^-?[0-9]+$ && $requests =~ ^[0-9]+$ ]] || usage
case $storage in h2 | postgres | postgres-s3) ;; *) usage ;; esac

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_java
command -v "$java" >/dev/null || die "no java: set JAVA_HOME to a JDK 21+"
command -v curl >/dev/null || die "curl is missing"

# ---- the fuzzer's classes (it/ test sources) and the server's jar, built when missing or stale
classes=it/target/test-classes
if [[ ! -f $classes/io/dossier/it/fuzz/FuzzMain.class || -n $(find it/src/test/java -newer "$classes/io/dossier/it/fuzz/FuzzMain.class" -name '*.java' | head -n 1) ]]; then
  echo "fuzz.sh: compiling the fuzzer (mvn -pl it -am test-compile)…" >&2
  mvn -B -q -pl it -am test-compile -DskipTests >&2 || die "the build failed"
fi
"$root/dossier" --version >/dev/null # builds server/target/dossier.jar when a source is newer than it
cp="$classes:server/target/dossier.jar:server/target/lib/*"

if ((${#replay[@]})); then
  [[ -n $port ]] || port=8080
  exec "$java" -cp "$cp" io.dossier.it.fuzz.FuzzMain --port "$port" --replay "${replay[@]}"
fi

# ---- a work folder, a free port, storage
if [[ -z $work ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-fuzz.XXXXXX")
else
  mkdir -p "$work"
  [[ -z $(ls -A "$work") ]] || die "--work $work is not empty"
fi
work=$(cd "$work" && pwd)
port=$(bench_free_port)

server_pid="" s3_pid="" database="" code=1
env_vars=()
pg_admin="postgresql://postgres@127.0.0.1:5432/postgres"
if [[ $storage != h2 ]]; then
  command -v psql >/dev/null || die "psql is missing (the PostgreSQL setups create a database with it)"
  database="dossier_fuzz_$(date +%s)_$RANDOM"
  psql -q "$pg_admin" -c "CREATE DATABASE $database" || die "cannot create database $database on 127.0.0.1:5432"
  env_vars+=("DOSSIER_DB_URL=jdbc:postgresql://127.0.0.1:5432/$database" "DOSSIER_DB_USER=postgres" "DOSSIER_DB_PASSWORD=")
fi
if [[ $storage == postgres-s3 ]]; then
  s3jar=$(ls ~/.m2/repository/org/gaul/s3proxy/*/s3proxy-*-jar-with-dependencies.jar 2>/dev/null | sort -V | tail -n 1)
  [[ -n $s3jar ]] || die "no s3proxy jar under ~/.m2 (build the it/ module once to fetch it)"
  s3port=$(bench_free_port)
  mkdir -p "$work/s3/dossier"
  cat >"$work/s3.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=fuzz
s3proxy.credential=fuzz-secret
jclouds.provider=filesystem
jclouds.identity=fuzz
jclouds.credential=fuzz-secret
jclouds.filesystem.basedir=$work/s3
PROPS
  "$java" -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$s3jar" --properties "$work/s3.properties" >"$work/s3proxy.log" 2>&1 &
  s3_pid=$!
  for i in $(seq 120); do
    curl -s -o /dev/null "http://127.0.0.1:$s3port/" && break
    kill -0 "$s3_pid" 2>/dev/null || die "s3proxy exited: $(tail -n 5 "$work/s3proxy.log")"
    ((i < 120)) || die "s3proxy did not answer within 60 s"
    sleep 0.5
  done
  env_vars+=("DOSSIER_BLOB_STORE=s3" "DOSSIER_S3_ENDPOINT=http://127.0.0.1:$s3port" "DOSSIER_S3_BUCKET=dossier"
    "DOSSIER_S3_ACCESS_KEY=fuzz" "DOSSIER_S3_SECRET_KEY=fuzz-secret" "DOSSIER_S3_PATH_STYLE=true")
fi

cleanup() {
  local status=$?
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n $s3_pid ]] && kill -TERM "$s3_pid" 2>/dev/null && wait "$s3_pid" 2>/dev/null || true
  if [[ -n $database ]] && ((keep == 0)); then
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if ((keep)) || ((code != 0)); then
    echo "fuzz.sh: work folder kept: $work" >&2
    if [[ -n $database ]] && ((keep)); then
      echo "fuzz.sh: database kept: $database (psql '$pg_admin' -c 'DROP DATABASE $database' when done)" >&2
    fi
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the server: `dossier dev` on a fresh data folder, so the demo tenant and its credentials are made
echo "fuzz.sh: starting dossier dev on 127.0.0.1:$port ($storage), work folder $work" >&2
env "${env_vars[@]}" DOSSIER_RATELIMIT_ENABLED=false DOSSIER_SKIP_BUILD=1 "$root/dossier" dev --port "$port" --data "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
for i in $(seq 600); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready") == 200 ]] && break
  kill -0 "$server_pid" 2>/dev/null || die "the server exited: $(tail -n 20 "$work/server.log")"
  ((i < 600)) || die "the server was not ready within 5 minutes"
  sleep 0.5
done

# ---- the run
set +e
"$java" -cp "$cp" io.dossier.it.fuzz.FuzzMain --port "$port" --credentials "$work/data/demo-credentials.json" \
  --seed "$seed" --requests "$requests" --concurrency "$concurrency" --max-seconds "$max_seconds" \
  --out "$work/findings" --server-log "$work/server.log" | tee "$work/report.txt"
code=${PIPESTATUS[0]}
set -e
kill -0 "$server_pid" 2>/dev/null || { echo "fuzz.sh: the server died during the run" >&2; code=1; }
exit "$code"
