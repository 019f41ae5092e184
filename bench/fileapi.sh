#!/usr/bin/env bash
# File API listing and ranged download against baselines measured in the same run. On demand only, not run by CI.
#
#   bench/fileapi.sh [--only list|download] [--fresh] [--seconds 20] [--clients 16] [--keep] [options below]
#
# Starts a Dossier server in-process (bench/FileApiBench.java: one JVM holds the server, the HTTP
# clients and the JDBC baseline) on PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres),
# database dossier_bench_fileapi (created when missing, reused afterwards; no other database is
# touched), a blob folder in the work dir on local disk, and a private nginx (own config and prefix
# in the work dir, sendfile on, not the system service), all on 127.0.0.1. Measures:
#   1. list: 100,000 deliveries in one tenant (business types 7100/7101, 2 publishers, upload dates
#      over two years), 10 subscriber applications with download/delete histories (COPY, ~10-30 s,
#      once). 16 clients spread over the subscribers repeat
#        GET /fileapi/v1.0/files?role=subscriber&pageSize=100&$filter=businessType eq 7101 and uploadDate gt <median>
#      (the median 7101 upload date: about half of them) against every statement the server issued
#      for that request (captured from jOOQ) replayed over plain JDBC with the same concurrency:
#      30 s JIT warm-up each (after 10 s, the server's JIT still compiled in the first measured half), then 20 s measured each in two halves, A B B A, each after 5 s warm-up; req/s, p50, p99, the ratio;
#      then the same statements as written by hand (anti-join, lean count; same answers, checked)
#      over JDBC, 20 s, the best SQL baseline; then EXPLAIN ANALYZE of the page and count queries,
#      the server's and the hand-written ones.
#   2. download: a 1 GiB random file published through POST /fileapi/v1.0/files?uploadType=multipart
#      (SHA-256 checked), then downloaded by one client as a HEAD + sequential 4 MiB Range requests on
#      one keep-alive connection, from the File API and from nginx serving a hard link of the same blob
#      file with the same requests (and, as a floor, from a bare Javalin endpoint in the same JVM with
#      the server's send code but no token, database or access log); warm-up passes (JIT, page cache,
#      bytes compared), then --runs runs alternating who goes first. MB/s (10^6 bytes) median, ratio
#      (target File API >= 0.8x nginx), CPU per GiB, then one more pass with the server's SQL timed.
# The bench applications (2 publishers, 10 subscribers, a bulk publisher and downloader) are made
# once and get a new secret each run, written into dossier_bench_fileapi's client table.
# Prints a report and a summary (also in <work>/report.txt). Takes ~6 minutes
# (the first run adds ~15 s of load); the Java part is killed after --limit seconds (default 900).
# It runs on a copy of server/target's jars, so a rebuild meanwhile does not disturb it. Client,
# server, PostgreSQL and nginx share the machine's cores: figures are only comparable within one run.
#
# Needs nginx (apt-get update && apt-get install -y nginx; only checked), curl, PostgreSQL on
# 127.0.0.1:5432, a JDK 21+ (JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH)
# and a built server (server/target/dossier.jar and server/target/lib; nothing is rebuilt).
# Options:
#   --only list|download  one part only                  --fresh       drop and recreate the database
#   --seconds N   measured list seconds per side (20)    --warmup N    list warm-up seconds (5)
#   --jit-warmup N  unmeasured seconds per side (30)     --clients N   list clients (16)
#   --rows N      deliveries to load (100000)            --no-explain  skip EXPLAIN ANALYZE
#   --quiet-wait N  wait up to N s for a quiet machine (15)
#   --size-mib N  big file size (1024)                   --chunk-mib N range size (4)
#   --runs N      download runs per side (3)             --limit N     kill the Java part after N s (900)
#   --keep        keep the work dir (server log, report) --work DIR    work dir (default: new mktemp -d; must be empty)
# Extra JVM flags: FILEAPI_BENCH_JAVA_OPTS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() {
  sed -n '2,47p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

keep=0 work="" limit=900 only="" args=()
while (($#)); do
  case $1 in
    --keep) keep=1; shift ;;
    --work) work=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --only) only=$2; args+=("$1" "$2"); shift 2 ;;
    --fresh | --no-explain) args+=("$1"); shift ;;
    --seconds | --warmup | --jit-warmup | --clients | --rows | --quiet-wait | --size-mib | --chunk-mib | --runs)
      args+=("$1" "$2"); shift 2 ;;
    -h | --help) usage ;;
    *) echo "fileapi.sh: unknown option $1" >&2; usage ;;
  esac
done

die() {
  echo "fileapi.sh: $*" >&2
  exit 1
}

# ---- preconditions: check and tell, never install
# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_java
command -v "$java" >/dev/null || die "no java: set JAVA_HOME to a JDK 21+"
command -v curl >/dev/null || die "curl is missing (apt-get install -y curl)"
[[ -f server/target/dossier.jar && -d server/target/lib ]] || die "no server/target/dossier.jar; build it first:
JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q -B -DskipTests install"
(exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null || die "nothing listens on 127.0.0.1:5432 (PostgreSQL, trust auth for user postgres)"
nginx=""
if [[ $only != list ]]; then
  nginx=$(command -v nginx || true)
  [[ -z $nginx && -x /usr/sbin/nginx ]] && nginx=/usr/sbin/nginx
  [[ -n $nginx ]] || die "nginx is missing; install it with: apt-get update && apt-get install -y nginx
(only the binary is used: this script runs its own instance on a free port, not the system service)"
fi

if [[ -z $work ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-fileapi-bench.XXXXXX")
else
  mkdir -p "$work"
  [[ -z $(ls -A "$work") ]] || die "--work $work is not empty"
fi
work=$(cd "$work" && pwd)
chmod 755 "$work" # nginx workers may run as another user

nginx_pid="" java_pid=""
cleanup() {
  local code=$?
  [[ -n $java_pid ]] && kill -TERM "$java_pid" 2>/dev/null && wait "$java_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && wait "$nginx_pid" 2>/dev/null || true
  if ((keep)); then
    echo "fileapi.sh: work dir kept: $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date +%T)" "$*" | tee -a "$work/report.txt" >&2; }

# ---- machine notes
cores=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
fs=$(df -PT "$work" | awk 'NR == 2 { print $2 " on " $1 }')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "command: bench/fileapi.sh ${args[*]}$( ((keep)) && echo " --keep")"
log "machine: $cores cores ($model), ${mem_gib} GiB RAM, work dir $work ($fs), load average $load_start"
if awk -v l="${load_start%% *}" -v c="$cores" 'BEGIN { exit !(l > c * 0.5) }'; then
  log "WARNING: load average ${load_start%% *} on $cores cores: something else is running, figures will be noisy"
fi

# ---- nginx: its own prefix, config, temp paths and port; root is <work>/www, where the Java part
# hard-links the published blob as big.bin
nginx_args=()
if [[ -n $nginx ]]; then
  nport=$(bench_free_port)
  bench_nginx "$nginx" "$work" "$nport" "keepalive_requests 100000;"
  log "nginx $("$nginx" -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$nport (sendfile on, keep-alive, root $work/www)"
  nginx_args=(--nginx-port "$nport" --nginx-pid "$nginx_pid")
fi

# ---- a snapshot of the server's classpath, so that a rebuild running meanwhile cannot change it
# under the run (a jar being rewritten is retried for up to 60 s)
jar=${JAVA_HOME:+$JAVA_HOME/bin/}jar
for i in $(seq 30); do
  rm -rf "$work/cp" && mkdir -p "$work/cp/lib"
  cp server/target/dossier.jar "$work/cp/" && cp server/target/lib/*.jar "$work/cp/lib/" \
    && "$jar" tf "$work/cp/dossier.jar" >/dev/null 2>&1 && break
  ((i < 30)) || die "server/target/dossier.jar stays unreadable (a build running?)"
  sleep 2
done

# ---- the Java part, bounded in time; its report goes to the terminal and to <work>/report.txt
# shellcheck disable=SC2086 # FILEAPI_BENCH_JAVA_OPTS is a list of flags
timeout -k 15 "$limit" "$java" ${FILEAPI_BENCH_JAVA_OPTS:-} -cp "$work/cp/dossier.jar:$work/cp/lib/*" \
  bench/FileApiBench.java "${args[@]}" --work "$work" "${nginx_args[@]}" > >(tee -a "$work/report.txt") &
java_pid=$!
set +e
wait "$java_pid"
code=$?
set -e
java_pid=""
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
((code == 124)) && die "the Java part ran longer than --limit $limit s and was stopped"
((code == 0)) || die "the Java part failed (exit $code); server log: $work/server.log (use --keep to keep it)"
