#!/usr/bin/env bash
# Resident memory of `dossier dev` under a mixed load. On demand only, not run by CI.
#
#   bench/memory.sh [--clients 64] [--seconds 60] [--keep]
#
# Starts `./dossier dev` on a new data folder (it seeds the demo tenant first: tens of seconds) on a
# free port of 127.0.0.1, then runs bench/MemoryBench.java: N clients cycling through OWS
# loginByUid + getListEx, an OWS upload of 100 KB, and a File API token + file list, for the given
# time, while the server's VmRSS is sampled every second. Prints the operations done and the RSS
# before, at its peak, median under load and after. Target: the peak stays under 512 MB.
# Extra server JVM flags: DOSSIER_JAVA_OPTS (passed through to ./dossier), e.g. to compare heap sizes.
# Needs curl, python3 (a free port) and a JDK 22+ (JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH);
# ./dossier builds the server when its sources changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

clients=64 seconds=60 keep=0
while (($#)); do
  case $1 in
    --clients) clients=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_java

work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-memory.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=""
cleanup() {
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  ((keep)) && echo "work dir kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

DOSSIER_RATELIMIT_ENABLED=false "$root/dossier" dev --data "$work/data" --port "$port" >"$work/server.log" 2>&1 &
server=$! # the launcher execs java: this is the server's pid
for ((i = 0; i < 600; i++)); do # up to 5 minutes for the build, the demo seed and the start
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "server not ready" >&2; exit 1; }
echo "server pid $server on port $port, JVM flags: $(tr '\0' ' ' </proc/"$server"/cmdline | sed 's/ -jar .*//')" >&2
echo "server classes: $(bench_class_cache "$server")" >&2
timeout $((seconds + 120)) "$java" -cp "$root/server/target/dossier.jar:$root/server/target/lib/*" "$root/bench/MemoryBench.java" --url "http://127.0.0.1:$port" \
  --credentials "$work/data/demo-credentials.json" --server-pid "$server" --clients "$clients" --seconds "$seconds"
