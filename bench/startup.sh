#!/usr/bin/env bash
# How long `./dossier dev` takes from launch to ready (the first 200 from GET /health/ready):
# on a data folder that already exists (a restart), on one whose server was killed (kill -9, so the
# database recovers) and on a fresh one. Targets on 2 cores: a restart, after a kill too, under 2 s;
# a fresh folder under 5 s. Not run by CI.
#
#   bench/startup.sh [runs] [kind…]   (default 5 runs of each kind; kinds: existing killed fresh,
#                                       default all three; needs curl)
#
# Builds first if needed (./dossier --version), then does one uncounted start so the class archive
# (server/target/dossier-dev.aot on JDK 25+, dossier-dev.jsa before) exists, as it does on any machine after the first start. Prints each
# run and min/median/max in ms; "in-app" is the part the server itself reports in its banner (from
# the dev command's start to listening), the rest is the launcher, JVM start and command-line
# parsing. On Linux it also prints the CPU time the JVM used until ready (all threads: main, JIT,
# GC), which moves far less than wall time when other work shares the machine. Extra JVM flags to
# compare go in DOSSIER_JAVA_OPTS as usual; BENCH_PORT picks the port (default 18577).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
kinds=("${@:2}")
((${#kinds[@]})) || kinds=(existing killed fresh)
port=${BENCH_PORT:-18577}
url=http://127.0.0.1:$port/health/ready

command -v curl >/dev/null || { echo "startup.sh: needs curl" >&2; exit 1; }
if curl -s -o /dev/null "$url"; then
  echo "startup.sh: something already listens on port $port; set BENCH_PORT" >&2
  exit 1
fi

now_ms() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local t=${EPOCHREALTIME/[.,]/}
    echo $((t / 1000))
  else
    perl -MTime::HiRes=time -e 'printf "%d\n", time() * 1000'
  fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-startup.XXXXXX")
server=""
cleanup() {
  if [[ -n $server ]]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Starts `dossier dev` on $1, waits for ready, stops it gracefully (or with signal $2); sets took (launch to ready),
# in_app (what the server reports) and cpu (the JVM's CPU time until ready, or ?), in ms.
one_start() {
  local data=$1 signal=${2:-TERM} log=$work/last.log started ready status polls=0
  : >"$log"
  started=$(now_ms)
  "$root/dossier" dev --port "$port" --data "$data" >"$log" 2>&1 &
  server=$!
  # Cheap polling, as the cores are the JVM's: read the log until the server says it listens (right
  # after its HTTP server started), then ask /health/ready; also ask every half second regardless.
  while :; do
    polls=$((polls + 1))
    if [[ $(<"$log") == *"Dossier listening"* ]] || ((polls % 10 == 0)); then
      status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
      [[ $status == 200 ]] && break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
      echo "startup.sh: dossier dev exited before it was ready:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
  ready=$(now_ms)
  cpu=$(cpu_ms "$server")
  kill -"$signal" "$server"
  wait "$server" 2>/dev/null || true
  server=""
  took=$((ready - started))
  in_app=$(sed -n 's/.*(started in \([0-9]*\) ms).*/\1/p' "$log" | head -n 1)
  in_app=${in_app:-?}
}

# User + system CPU time of process $1 so far in ms, from /proc (Linux); ? elsewhere.
cpu_ms() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo "?"; return; }
  read -r -a fields <<<"${stat##*) }" # fields[0] is the state, the 3rd field of stat
  echo $(((fields[11] + fields[12]) * 1000 / $(getconf CLK_TCK)))
}

# Prints "label: min/median/max" of the numbers on stdin.
summary() {
  local label=$1 sorted count
  sorted=$(sort -n)
  count=$(wc -l <<<"$sorted" | tr -d ' ')
  printf '%-42s min %5s   median %5s   max %5s ms\n' "$label" \
    "$(head -n 1 <<<"$sorted")" "$(sed -n "$(((count + 1) / 2))p" <<<"$sorted")" "$(tail -n 1 <<<"$sorted")"
}

# measure LABEL existing|killed|fresh: each counted start is on the data folder of the previous
# one (stopped gracefully, or killed), or on a new one.
measure() {
  local label=$1 kind=$2 i data signal=TERM results=""
  if [[ $kind == killed ]]; then
    signal=KILL
    one_start "$work/existing" KILL # so that the first counted start follows a kill too
  fi
  for ((i = 1; i <= runs; i++)); do
    if [[ $kind == fresh ]]; then data=$work/fresh-$i; else data=$work/existing; fi
    one_start "$data" "$signal"
    results+="$took $in_app $cpu"$'\n'
    printf '  %s run %d: %s ms to ready (in-app %s ms, CPU %s ms)\n' "$label" "$i" "$took" "$in_app" "$cpu" >&2
  done
  results=${results%$'\n'}
  cut -d' ' -f1 <<<"$results" | summary "$label, launch to ready"
  cut -d' ' -f2 <<<"$results" | grep -v '?' | summary "$label, in-app" || true
  cut -d' ' -f3 <<<"$results" | grep -v '?' | summary "$label, JVM CPU time" || true
}

"$root/dossier" --version >/dev/null # builds when needed
export DOSSIER_SKIP_BUILD=1            # and never again while measuring, whatever others edit
echo "$(nproc 2>/dev/null || sysctl -n hw.ncpu) cores, $(uptime | sed 's/.*load av/load av/'); DOSSIER_JAVA_OPTS='${DOSSIER_JAVA_OPTS:-}'; warm-up start…" >&2
one_start "$work/existing"

for kind in "${kinds[@]}"; do
  case $kind in
    existing) measure "restart (existing data)" existing ;;
    killed) measure "restart after kill -9" killed ;;
    fresh) measure "fresh data folder" fresh ;;
    *) echo "startup.sh: unknown kind $kind (existing, killed or fresh)" >&2; exit 1 ;;
  esac
done
