#!/usr/bin/env bash
# Opus 2 documents (issue 14's performance targets). On demand only, not run by CI.
#
#   bench/opus2.sh [upload|download|poll|all] [options]     (default all, in that order)
#     upload    1 MB files, 16 clients: multipart POST /opus2/projects/{id}/documents against the
#               OWS file route POST /ows/fileService.php, same run: req/s, MB/s and the ratio
#               (target Opus 2 >= 0.9x OWS)
#     download  256 KiB Ranges (offsets drawn alike on both sides) of a 1 MB document, 16 clients:
#               GET /opus2/projects/{id}/documents/{id}/content against the OWS file route
#               GET /ows/fileServiceDownload of an attached document, same run: the ratio (>= 0.9x)
#     poll      GET /opus2/projects/{id}/documents?afterDate= over a project of 100,000 documents,
#               16 clients: p99 (target < 50 ms), afterDate drawn at random among the documents'
#               change times (first page of 100 of what is newer), then leaving the newest 100
#
# Starts a Dossier server in-process (bench/Opus2Bench.java, through the shared bench/Harness.java:
# one JVM holds the server and the HTTP clients; rate limits off) on PostgreSQL at 127.0.0.1:5432
# (trust auth, user postgres), database dossier_opus2_bench, created when missing and kept; no other
# database is touched. The poll documents live in tenant opus2-bench-<count> (one per --documents,
# so a smoke run's 1,000 and the full 100,000 coexist) and are loaded once, through core in-process
# (the change feed is what afterDate reads), 1,000 per transaction on 4 threads (~100 documents/s
# on a busy 2-core machine, so 100,000 take up to ~15 min, once); --fresh drops the database to reload. Upload and download use tenant
# opus2-bench-files, a project made per run, a token and an OWS key revoked at the end. The blob
# folder (<work>/blobs) is emptied before and after each run: the uploads fill it (a full run
# writes some GB); the kept documents' rows outlive it, which listing them does not mind.
# Each side: --jit-warmup s unmeasured, then --seconds s measured in two halves, in the order A B B A
# (each half after --warmup s, and after waiting up to --quiet-wait s for a quiet machine). Prints the SQL one request of each side sends, req/s,
# p50/p99/max, CPU per request of this JVM and of the database's backends, and foreign load. A full
# run takes ~6 min (plus the load once).
#
# Options:
#   --documents N     documents in the poll project (default 100000; a tenant per number, kept)
#   --file-kib N      size of the files uploaded and downloaded (default 1024)
#   --range-kib N     size of each download's Range (default 256)
#   --clients N       concurrent clients (default 16)
#   --seconds N       measured seconds per side (default 20); --warmup N (default 5)
#   --jit-warmup N    unmeasured seconds per side first (default 20)
#   --quiet-wait N    wait up to N s for a quiet machine before each side (default 60; 0: don't)
#   --fresh           drop and recreate the database first (reloads the documents)
#   --database NAME   another database (default dossier_opus2_bench)
#   --work DIR        server log and blob folder (default ${TMPDIR:-/tmp}/dossier-opus2-bench)
#
# Smoke run (a few seconds of measuring):
#   bench/opus2.sh all --documents 1000 --clients 4 --seconds 2 --warmup 1 --jit-warmup 1 --quiet-wait 0
#
# Needs a built server (./dossier builds server/target when sources changed; DOSSIER_SKIP_BUILD=1
# uses it as it is) and a JDK 22+ (the multi-file source launcher): JAVA_HOME, else
# /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH. Extra JVM flags: OPUS2_BENCH_JAVA_OPTS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_help 47 "$@"
bench_java

bench_server opus2.sh

bench_work "${TMPDIR:-/tmp}/dossier-opus2-bench" "$@"
mkdir -p "$work"
rm -rf "$work/blobs" "$work/server.log"
trap 'rm -rf "$work/blobs"' EXIT

status=0
# shellcheck disable=SC2086 # OPUS2_BENCH_JAVA_OPTS is a list of flags
"$java" ${OPUS2_BENCH_JAVA_OPTS:-} -cp "$(bench_classpath)" \
  bench/Opus2Bench.java "$@" --work "$work" || status=$?
exit "$status"
