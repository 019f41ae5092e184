#!/usr/bin/env bash
# OWS file transfer against nginx, measured in the same run. On demand only, not run by CI.
#
#   bench/files.sh [--size-mib 1024] [--runs 3] [--clients 16] [--seconds 20] [--keep] [--jfr] [--work DIR] [--max-minutes 30]
#
# Starts a Dossier server (`dossier start`, a separate JVM, on an H2 file database and a blob folder
# in a temp dir, upload.max-bytes 2 GiB) and a private nginx (own config and prefix in the same temp
# dir, sendfile on, dav_methods PUT, not the system service), both on free ports of 127.0.0.1, and
# measures:
#   1. download of a 1 GiB file: GET /ows/fileServiceDownload vs nginx serving the same blob file
#      (a hard link), 1 stream and 4 parallel whole downloads, curl discarding; after a warm-up of
#      each, so both read from the page cache. Target: server >= 0.8x nginx. In the same rounds: the
#      server's whole file as "Range: bytes=0-" (a 206 through the ranged path; both check every
#      chunk's CRC32C as they send it).
#   2. upload of the same 1 GiB file: curl -F to /ows/fileService.php vs curl -T (PUT) to nginx, plus
#      `dd conv=fsync` of it as the disk's reference (the server forces every blob to disk, nginx
#      does not); the server's VmRSS/VmHWM sampled every 100 ms. Target: RSS stays under 300 MB.
#   3. small files: 16 clients, each repeating upload of a 100 KB file + AttachedDocumentsService.add
#      (bench/FilesBench.java), warm-up 30 s and >= 1000 operations, longer until the server's JIT
#      threads take under 5% of its CPU (at most 150 s), then 20 s measured: ops/s, p50/p99, server
#      CPU per operation and the JIT's share of it; nginx PUTs of the same files before and after, as
#      the reference (the ratio is against their mean, and both are printed: on a shared guest the
#      reference moved by a factor of three between runs). Target: >= 0.5.
# Every throughput is the median of --runs runs (default 3); MB = 10^6 bytes. Prints a summary table
# (also in <work>/summary.txt) with CPU seconds per GiB of the server and nginx, the RSS peaks
# per phase, and where the server's classes came from: the first run of a build records the AOT
# cache and loads its classes from the jar, and peaked 20-35 MB higher in the small-file run
# (288-304 MB in five such runs on one 2-core guest, 267-280 in five from the cache). Takes
# ~4-10 minutes. Client and server share the machine's cores: figures are only comparable within
# one run, and a busy machine (the load average is printed) makes them noisy.
#
# Needs curl, nginx (apt-get update && apt-get install -y nginx; the script only checks), a JDK 22+
# (JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH; its source launcher compiles
# bench/Harness.java, the load runner, beside bench/FilesBench.java) and a built server
# (server/target/dossier.jar and lib/; the server runs with DOSSIER_SKIP_BUILD=1, nothing is rebuilt).
# Options:
#   --size-mib N   size of the big file (default 1024)       --runs N     runs per figure (default 3)
#   --clients N    small-file clients (default 16)            --seconds N  small-file measured seconds (20)
#   --warmup N     small-file warm-up seconds at least (30: with 5 s the server's JIT was still compiling
#                  in the measured 20 s, 27% of its CPU there, and an operation cost 9-10 ms of server
#                  CPU instead of 6.4); it goes on until the JIT settles, at most 4 x N + 30 s (on a
#                  2-core PVM guest the JIT still took 15-30% of the server's CPU 100 s into the load)
#   --keep         keep the work dir (logs, RSS samples)      --jfr        record the server with JFR
#                                                                          (<work>/server.jfr; implies --keep)
#   --work DIR     work dir, new or empty (default: mktemp -d under ${TMPDIR:-/tmp}); removed unless --keep
#   --max-minutes N stop the run after N minutes (default 30; a normal run takes 4-8)
# Extra server JVM flags: DOSSIER_JAVA_OPTS (passed through to ./dossier).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  sed -n '2,47p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

size_mib=1024 runs=3 clients=16 seconds=20 warmup=30 keep=0 jfr=0 work="" max_minutes=30
while (($#)); do
  case $1 in
    --size-mib) size_mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --jfr) jfr=1 keep=1; shift ;;
    --work) work=$2; shift 2 ;;
    --max-minutes) max_minutes=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "files.sh: unknown option $1" >&2; usage ;;
  esac
done

die() {
  echo "files.sh: $*" >&2
  exit 1
}

# ---- preconditions: check and tell, never install
# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_java
command -v curl >/dev/null || die "curl is missing (apt-get install -y curl)"
command -v "$java" >/dev/null || die "no java: set JAVA_HOME to a JDK 22+"
nginx=$(command -v nginx || true)
[[ -z $nginx && -x /usr/sbin/nginx ]] && nginx=/usr/sbin/nginx
[[ -n $nginx ]] || die "nginx is missing; install it with: apt-get update && apt-get install -y nginx
(only the binary is used: this script runs its own instance on a free port, not the system service)"
[[ -f $root/server/target/dossier.jar ]] || die "no server/target/dossier.jar; build it first:
JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q -B -DskipTests install"
nginx_dav=0
"$nginx" -V 2>&1 | grep -q -- --with-http_dav_module && nginx_dav=1

size=$((size_mib * 1024 * 1024))
if [[ -z $work ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-files-bench.XXXXXX")
else
  mkdir -p "$work"
  [[ -z $(ls -A "$work") ]] || die "--work $work is not empty"
fi
work=$(cd "$work" && pwd)
chmod 755 "$work" # nginx workers may run as another user

server_pid="" nginx_pid="" sampler_pid="" watchdog_pid=""
cleanup() {
  local code=$?
  [[ -n $watchdog_pid ]] && kill "$watchdog_pid" 2>/dev/null || true
  [[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  if [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  [[ -n $nginx_pid ]] && wait "$nginx_pid" 2>/dev/null || true
  if ((keep)); then
    echo "files.sh: work dir kept: $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The whole run is bounded: after --max-minutes the script is stopped (and cleans up) once the
# command in progress returns; every transfer is capped at 300 s on its own.
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep $((max_minutes * 60)) &
  sleeper=$!
  wait "$sleeper" && echo "files.sh: stopping after $max_minutes minutes" >&2 && kill -TERM $$
) &
watchdog_pid=$!

now_us() { echo "${EPOCHREALTIME/./}"; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# Median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; } # bytes, seconds -> MB/s
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

# ---- machine notes
cores=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
fs=$(df -PT "$work" | awk 'NR == 2 { print $2 " on " $1 }')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $cores cores ($model), ${mem_gib} GiB RAM, work dir $work ($fs), load average $load_start"
if awk -v l="${load_start%% *}" -v c="$cores" 'BEGIN { exit !(l > c * 0.5) }'; then
  log "WARNING: load average ${load_start%% *} on $cores cores: something else is running, figures will be noisy"
fi

# ---- the big file (random: nothing compresses) and a small warm-up file
log "writing a ${size_mib} MiB random file"
head -c "$size" /dev/urandom >"$work/big.bin"
head -c $((64 * 1024 * 1024)) "$work/big.bin" >"$work/warm.bin"

# ---- Dossier: `start` with a config file (dev ignores DOSSIER_* overrides), tenant, user, OWS key
mkdir -p "$work/data"
port=$(bench_free_port)
cat >"$work/dossier.conf" <<EOF
http.host = 127.0.0.1
http.port = $port
db.url = jdbc:h2:file:$work/data/db/dossier
db.user = dossier
blob.store = folder
blob.folder = $work/data/blobs
upload.max-bytes = $((2 * 1024 * 1024 * 1024))
# the load sends as fast as it can: no rate limit
ratelimit.enabled = false
EOF
export DOSSIER_SKIP_BUILD=1
log "creating tenant, user and OWS API key (admin commands)"
timeout 300 "$root/dossier" tenant create bench --config "$work/dossier.conf" >"$work/admin.log"
timeout 300 "$root/dossier" user create bench bench.user --config "$work/dossier.conf" >>"$work/admin.log"
timeout 300 "$root/dossier" client create bench ows-api-key --user bench.user --name files-bench --config "$work/dossier.conf" >>"$work/admin.log"
api_key=$(sed -n 's/^secret: \([^ ]*\).*/\1/p' "$work/admin.log" | tail -n 1)
[[ -n $api_key ]] || die "no OWS API key in $work/admin.log"

if ((jfr)); then
  export DOSSIER_JAVA_OPTS="${DOSSIER_JAVA_OPTS:-} -XX:StartFlightRecording:filename=$work/server.jfr,settings=profile"
fi
log "starting the server on 127.0.0.1:$port"
"$root/dossier" start --config "$work/dossier.conf" >"$work/server.log" 2>&1 &
server_pid=$! # the launcher execs java: this is the server JVM
base=http://127.0.0.1:$port
for i in $(seq 240); do
  curl -sf -o /dev/null "$base/health/live" && break
  kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$work/server.log" >&2; die "the server exited"; }
  ((i < 240)) || die "the server did not answer within 120 s"
  sleep 0.5
done
classes=$(bench_class_cache "$server_pid")
log "server classes: $classes"

# ---- nginx: its own prefix, config, temp paths and port (bench/harness.sh), PUT into www/up/ when it can
nport=$(bench_free_port)
mkdir -p "$work/nginx/tmp" "$work/www/up"
chmod 777 "$work/www/up" "$work/nginx/tmp"
dav_line=""
((nginx_dav)) && dav_line="dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r;"
bench_nginx "$nginx" "$work" "$nport" "client_max_body_size 0;" "location /up/ { $dav_line }"
nbase=http://127.0.0.1:$nport
log "nginx $("$nginx" -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$nport (dav PUT: $( ((nginx_dav)) && echo yes || echo no))"

# ---- RSS sampler: every 100 ms "time_us VmRSS RssAnon RssFile VmHWM" (kB); phases marked in phases.txt
sample_rss() {
  local k v rest rss anon file hwm
  while [[ -r /proc/$server_pid/status ]]; do
    rss=0 anon=0 file=0 hwm=0
    while read -r k v rest; do
      case $k in
        VmHWM:) hwm=$v ;;
        VmRSS:) rss=$v ;;
        RssAnon:) anon=$v ;;
        RssFile:) file=$v ;;
      esac
    done <"/proc/$server_pid/status" || true
    echo "${EPOCHREALTIME/./} $rss $anon $file $hwm"
    sleep 0.1
  done
}
sample_rss >"$work/rss.txt" 2>/dev/null &
sampler_pid=$!
mark() { echo "$(now_us) $1" >>"$work/phases.txt"; }
# Peak "VmRSS RssAnon RssFile" (MB) of the samples between the marks $1 and $2, and the last VmHWM.
rss_between() {
  awk -v from="$1" -v to="$2" '
    FILENAME ~ /phases/ { t[$2] = $1; next }
    $1 >= t[from] && $1 <= t[to] { if ($2 > r) { r = $2; a = $3; f = $4 }; h = $5; n++ }
    END { printf "%.0f %.0f %.0f %.0f %d\n", r / 1024, a / 1024, f / 1024, h / 1024, n }' "$work/phases.txt" "$work/rss.txt"
}
rss_now() { awk '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } /^RssFile/ { f = $2 } /^VmHWM/ { h = $2 }
  END { printf "%.0f %.0f %.0f %.0f\n", r / 1024, a / 1024, f / 1024, h / 1024 }' "/proc/$server_pid/status"; }

# CPU time (user + system, in ticks of 1/100 s) of the given processes so far.
cpu_ticks() {
  local t=0 p
  for p; do
    [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
  done
  echo "$t"
}
nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ')

# ---- OWS session, document type, candidate
rpc() { curl -s --max-time 30 -H 'Content-Type: application/json' -d "$1" "$base/ows/jservice.php"; }
result() {
  local out
  out=$(rpc "{\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":$2,\"id\":1}")
  [[ $out == *'"result"'* && $out != *'"error"'* ]] || die "$1 failed: $out"
  sed -n 's/.*"result":"\{0,1\}\([^",}]*\).*/\1/p' <<<"$out"
}
token=$(result loginByUid "[\"$api_key\"]")
type_id=$(result Otys.Services.DocumentTypeService.add "[\"$token\",{\"name\":\"CV\",\"forDocuments\":true,\"forCandidates\":true}]")
candidate=$(result Otys.Services.CandidateService.add "[\"$token\",{\"Person\":{\"lastName\":\"Files\"}}]")

# ---- 2. uploads
upload_server() { # file -> "seconds http_code ouid"
  local out code secs
  out=$(curl -s --max-time 300 -o "$work/upload.json" -w '%{time_total} %{http_code}' \
    -F "sessionId=$token" -F "file=@$1;type=application/octet-stream" "$base/ows/fileService.php")
  read -r secs code <<<"$out"
  [[ $code == 200 ]] || die "upload answered $code: $(head -c 300 "$work/upload.json")"
  echo "$secs $(sed -n 's/.*"ouid":"\([0-9a-f]*\)".*/\1/p' "$work/upload.json")"
}
upload_nginx() { # file name -> seconds
  local out code secs
  out=$(curl -s --max-time 300 -o /dev/null -w '%{time_total} %{http_code}' -T "$1" "$nbase/up/$2")
  read -r secs code <<<"$out"
  [[ $code == 201 || $code == 204 ]] || die "nginx PUT answered $code"
  echo "$secs"
}
disk_write() { # file -> seconds of dd with fsync
  local t0 t1
  t0=$(now_us)
  dd if="$1" of="$work/www/up/disk.bin" bs=1M conv=fsync status=none
  t1=$(now_us)
  rm -f "$work/www/up/disk.bin"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e6 }'
}

read -r base_rss base_anon base_file base_hwm < <(rss_now)
log "server RSS after start-up: $base_rss MB (anon $base_anon, file $base_file), VmHWM $base_hwm MB"
log "upload warm-up (64 MiB to each)"
upload_server "$work/warm.bin" >/dev/null
if ((nginx_dav)); then upload_nginx "$work/warm.bin" warm.bin >/dev/null; rm -f "$work/www/up/warm.bin"; fi
sync
sleep 1
read -r pre_rss pre_anon pre_file pre_hwm < <(rss_now)
up_server=() up_nginx=() up_disk=() rss_runs=() cpu_up_server=0 cpu_up_nginx=0
mark upload-begin
for ((r = 1; r <= runs; r++)); do
  mark "upload-$r-begin"
  c0=$(cpu_ticks "$server_pid")
  out=$(upload_server "$work/big.bin")
  mark "upload-$r-end"
  cpu_up_server=$((cpu_up_server + $(cpu_ticks "$server_pid") - c0))
  read -r secs ouid <<<"$out"
  up_server+=("$secs")
  big_ouid=$ouid
  rss_runs+=("$(rss_between "upload-$r-begin" "upload-$r-end" | cut -d' ' -f1)")
  if ((nginx_dav)); then
    c0=$(cpu_ticks $nginx_workers)
    up_nginx+=("$(upload_nginx "$work/big.bin" "big-$r.bin")")
    cpu_up_nginx=$((cpu_up_nginx + $(cpu_ticks $nginx_workers) - c0))
    rm -f "$work/www/up/big-$r.bin"
  fi
  up_disk+=("$(disk_write "$work/big.bin")")
  log "upload run $r: server $(mbps "$size" "$secs") MB/s (peak RSS ${rss_runs[-1]} MB)$( ((nginx_dav)) && echo ", nginx PUT $(mbps "$size" "${up_nginx[-1]}") MB/s"), dd+fsync $(mbps "$size" "${up_disk[-1]}") MB/s"
done
mark upload-end
read -r up_rss up_anon up_file up_hwm up_samples < <(rss_between upload-begin upload-end)
[[ -n ${big_ouid:-} ]] || die "no ouid in the upload answer"

# ---- 1. downloads: bind the last upload, serve its blob file through nginx too (a hard link)
result Otys.Services.AttachedDocumentsService.add \
  "[\"$token\",{\"candidateUid\":\"$candidate\",\"fileUid\":\"$big_ouid\",\"typeId\":\"$type_id\",\"subject\":\"big\"}]" >/dev/null
blob=$(find "$work/data/blobs/blobs" -type f -size "${size}c" -printf '%T@ %p\n' | sort -g | tail -n 1 | cut -d' ' -f2-)
[[ -n $blob ]] || die "cannot find the uploaded blob under $work/data/blobs"
cmp -s "$blob" "$work/big.bin" || die "the newest blob $blob is not the uploaded file"
ln "$blob" "$work/www/big.bin"
rm -f "$work/big.bin" # from here on only the blob's pages matter
dl_url_server="$base/ows/fileServiceDownload?ouid=$big_ouid&class=AttachedDocument"
dl_url_nginx="$nbase/big.bin"

download() { # url [cookie [range]] -> "seconds" (checks status and size)
  local out code got secs want=200
  [[ -n ${3:-} ]] && want=206
  out=$(curl -s --max-time 300 -o /dev/null -w '%{time_total} %{http_code} %{size_download}' \
    ${2:+-H "Cookie: PHPSESSID=$2"} ${3:+-H "Range: $3"} "$1")
  read -r secs code got <<<"$out"
  [[ $code == "$want" && $got == "$size" ]] || die "download of $1 answered $code with $got bytes"
  echo "$secs"
}
download_parallel() { # url [cookie] -> wall seconds of 4 concurrent whole downloads
  local t0 t1 i pids=()
  t0=$(now_us)
  for i in 1 2 3 4; do
    download "$@" >"$work/par-$i.txt" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || die "a parallel download failed"; done
  t1=$(now_us)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e6 }'
}

log "download warm-up (one whole download from each)"
mark download-begin
download "$dl_url_server" "$token" >/dev/null
download "$dl_url_nginx" >/dev/null
dl1_server=() dl1_nginx=() dl4_server=() dl4_nginx=() cpu_dl_server=0 cpu_dl_nginx=0
dl1_server_run() {
  local c0
  c0=$(cpu_ticks "$server_pid")
  dl1_server+=("$(download "$dl_url_server" "$token")")
  cpu_dl_server=$((cpu_dl_server + $(cpu_ticks "$server_pid") - c0))
}
dl1_nginx_run() {
  local c0
  c0=$(cpu_ticks $nginx_workers)
  dl1_nginx+=("$(download "$dl_url_nginx")")
  cpu_dl_nginx=$((cpu_dl_nginx + $(cpu_ticks $nginx_workers) - c0))
}
# In the same rounds: "Range: bytes=0-" is the whole file as a 206, through the ranged path. Both
# check each chunk's CRC32C as it goes out (no whole-file SHA-256 any more), so the two should match.
dl1_range=()
dl1_range_run() { dl1_range+=("$(download "$dl_url_server" "$token" "bytes=0-")"); }
for ((r = 1; r <= runs; r++)); do
  case $((r % 3)) in # rotate who goes first
    1) dl1_server_run; dl1_nginx_run; dl1_range_run ;;
    2) dl1_nginx_run; dl1_range_run; dl1_server_run ;;
    0) dl1_range_run; dl1_server_run; dl1_nginx_run ;;
  esac
  log "download run $r, 1 stream: server $(mbps "$size" "${dl1_server[-1]}") MB/s, nginx $(mbps "$size" "${dl1_nginx[-1]}") MB/s," \
    "server with Range: bytes=0- $(mbps "$size" "${dl1_range[-1]}") MB/s"
done
for ((r = 1; r <= runs; r++)); do
  if ((r % 2)); then
    dl4_server+=("$(download_parallel "$dl_url_server" "$token")")
    dl4_nginx+=("$(download_parallel "$dl_url_nginx")")
  else
    dl4_nginx+=("$(download_parallel "$dl_url_nginx")")
    dl4_server+=("$(download_parallel "$dl_url_server" "$token")")
  fi
  log "download run $r, 4 streams: server $(mbps $((4 * size)) "${dl4_server[-1]}") MB/s, nginx $(mbps $((4 * size)) "${dl4_nginx[-1]}") MB/s"
done
mark download-end
# mappings of blob files (the process's own libraries, heap and thread stacks are not counted)
maps_after_dl=$(grep -c -F "$work/data/blobs/" "/proc/$server_pid/maps" || true)
maps_all_after_dl=$(wc -l <"/proc/$server_pid/maps")
read -r dl_rss dl_anon dl_file dl_hwm _ < <(rss_between download-begin download-end)

# ---- 3. small files
log "small files: $clients clients (bench/FilesBench.java)"
mark small-begin
small_args=(--url "$base" --key "$api_key" --clients "$clients" --seconds "$seconds" --warmup "$warmup" --server-pid "$server_pid")
((nginx_dav)) && small_args+=(--put-url "$nbase/up/small/")
timeout $((2 * (4 * warmup + 30 + seconds) + 180)) "$java" -cp "$root/server/target/dossier.jar:$root/server/target/lib/*" "$root/bench/FilesBench.java" "${small_args[@]}" | tee "$work/small.txt" >&2
mark small-end
read -r sm_rss sm_anon sm_file sm_hwm _ < <(rss_between small-begin small-end)
small=$(awk '$1 == "RESULT" && $2 == "ows-upload+bind"' "$work/small.txt")
small_put=$(awk '$1 == "RESULT" && $2 == "nginx-put"' "$work/small.txt")
small_put_after=$(awk '$1 == "RESULT" && $2 == "nginx-put-after"' "$work/small.txt")
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- summary
m() { median "$@"; }
s_up=$(mbps "$size" "$(m "${up_server[@]}")")
s_disk=$(mbps "$size" "$(m "${up_disk[@]}")")
s_d1=$(mbps "$size" "$(m "${dl1_server[@]}")")
n_d1=$(mbps "$size" "$(m "${dl1_nginx[@]}")")
s_d4=$(mbps $((4 * size)) "$(m "${dl4_server[@]}")")
n_d4=$(mbps $((4 * size)) "$(m "${dl4_nginx[@]}")")
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "met" : "MISSED" }'; }
{
  echo
  echo "Dossier OWS files vs nginx — $(date -u +%FT%TZ), $cores cores ($model), ${mem_gib} GiB, $fs"
  echo "JDK $("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.runtime.version = //p'), $("$nginx" -v 2>&1 | sed 's/.*: //'), curl $(curl -V | head -n 1 | cut -d' ' -f2)"
  echo "load average at start $load_start, at end $load_end; median of $runs runs; MB = 10^6 bytes; file $size_mib MiB"
  echo "server classes: $classes"
  echo
  printf '%-44s %12s %12s %8s  %s\n' "measurement" "Dossier" "nginx" "ratio" "target"
  printf '%-44s %12s %12s %8s  %s\n' "download $size_mib MiB, 1 stream (MB/s)" "$s_d1" "$n_d1" "$(ratio "$s_d1" "$n_d1")" \
    ">= 0.8: $(verdict "$(ratio "$s_d1" "$n_d1")" 0.8)"
  printf '%-44s %12s %12s %8s  %s\n' "download $size_mib MiB, 4 parallel streams (MB/s)" "$s_d4" "$n_d4" "$(ratio "$s_d4" "$n_d4")" \
    ">= 0.8: $(verdict "$(ratio "$s_d4" "$n_d4")" 0.8)"
  s_dr=$(mbps "$size" "$(m "${dl1_range[@]}")")
  printf '%-44s %12s %12s %8s  %s\n' "  same, Range: bytes=0- (a 206)" "$s_dr" "$n_d1" "$(ratio "$s_dr" "$n_d1")" "-"
  if ((nginx_dav)); then
    n_up=$(mbps "$size" "$(m "${up_nginx[@]}")")
    printf '%-44s %12s %12s %8s  %s\n' "upload $size_mib MiB (MB/s; nginx: PUT, no fsync)" "$s_up" "$n_up" "$(ratio "$s_up" "$n_up")" "-"
  fi
  printf '%-44s %12s %12s %8s  %s\n' "  reference: dd conv=fsync same disk (MB/s)" "" "$s_disk" "$(ratio "$s_up" "$s_disk")" "-"
  gib=$(awk -v s="$size" -v r="$runs" 'BEGIN { print s * r / 1073741824 }')
  cpu_per_gib() { awk -v t="$1" -v g="$gib" 'BEGIN { printf "%.2f", t / 100 / g }'; }
  printf '%-44s %12s %12s %8s  %s\n' "CPU s per GiB: download 1 stream" "$(cpu_per_gib "$cpu_dl_server")" \
    "$(cpu_per_gib "$cpu_dl_nginx")" "" "server JVM / nginx workers"
  if ((nginx_dav)); then
    printf '%-44s %12s %12s %8s  %s\n' "CPU s per GiB: upload" "$(cpu_per_gib "$cpu_up_server")" \
      "$(cpu_per_gib "$cpu_up_nginx")" "" "server JVM / nginx workers"
  fi
  printf '%-44s %12s %12s %8s  %s\n' "server RSS at start-up / before upload (MB)" "$base_rss / $pre_rss" "" "" "-"
  printf '%-44s %12s %12s %8s  %s\n' "server peak RSS during uploads (MB)" "$up_rss" "" "" \
    "< 300: $(awk -v v="$up_rss" 'BEGIN { print (v < 300) ? "met" : "MISSED" }')"
  printf '%-44s %12s %12s %8s  %s\n' "  of which anon / file-backed (MB)" "$up_anon / $up_file" "" "" "($up_samples samples)"
  printf '%-44s %12s %12s %8s  %s\n' "  VmHWM after uploads (lifetime peak, MB)" "$up_hwm" "" "" "-"
  printf '%-44s %12s %12s %8s  %s\n' "server peak RSS during downloads (MB)" "$dl_rss" "" "" "anon $dl_anon, file $dl_file"
  printf '%-44s %12s %12s %8s  %s\n' "  blob file mappings after downloads" "$maps_after_dl" "" "" \
    "0: $( ((maps_after_dl == 0)) && echo met || echo MISSED); all of the JVM's: $maps_all_after_dl"
  printf '%-44s %12s %12s %8s  %s\n' "server peak RSS during small files (MB)" "$sm_rss" "" "" "anon $sm_anon, file $sm_file"
  if [[ -n $small ]]; then
    read -r _ _ ops p50 p99 max errors up50 up99 b50 b99 scpu ccpu busy <<<"$small"
    if [[ -n $small_put ]]; then
      n_before=$(awk '{ print $3 }' <<<"$small_put")
      n_after=$(awk '{ print $3 }' <<<"$small_put_after")
      n_mean=$(awk -v a="$n_before" -v b="${n_after:-$n_before}" 'BEGIN { printf "%.1f", (a + b) / 2 }')
      printf '%-44s %12s %12s %8s  %s\n' "small: upload+bind 100 KB, $clients clients (ops/s)" "$ops" "$n_mean" \
        "$(ratio "$ops" "$n_mean")" ">= 0.5: $(verdict "$(ratio "$ops" "$n_mean")" 0.5); nginx PUT only, 1 request/op"
      printf '%-44s %12s %12s %8s  %s\n' "  nginx before / after the server's run" "" "$n_before / ${n_after:-?}" "" \
        "the reference's drift; the ratio is against their mean"
    else
      printf '%-44s %12s %12s %8s  %s\n' "small: upload+bind 100 KB, $clients clients (ops/s)" "$ops" "" "" "no nginx reference"
    fi
    printf '%-44s %12s %12s %8s  %s\n' "  latency p50 / p99 (ms)" "$p50 / $p99" "$(awk '{ print $4 " / " $5 }' <<<"$small_put")" "" "max $max ms, errors $errors"
    printf '%-44s %12s %12s %8s  %s\n' "  upload p50 / p99, bind p50 / p99 (ms)" "$up50 / $up99" "" "" "bind $b50 / $b99"
    printf '%-44s %12s %12s %8s  %s\n' "  CPU ms per op: server / client" "$scpu / $ccpu" "" "" "machine busy ${busy}%"
  fi
  echo
  echo "RSS file-backed = the JVM's mapped files (its libraries, the class archive, any blob mappings counted above)."
  echo "CPU s per GiB from /proc/<pid>/stat (all threads)."
  echo "raw seconds (server | nginx): upload ${up_server[*]} | ${up_nginx[*]:-}; dd ${up_disk[*]}"
  echo "  download x1 ${dl1_server[*]} | ${dl1_nginx[*]}; download x4 (wall) ${dl4_server[*]} | ${dl4_nginx[*]}"
  echo "  download x1 with Range: bytes=0- ${dl1_range[*]}"
} | tee "$work/summary.txt"
