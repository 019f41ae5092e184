#!/usr/bin/env bash
# OWS throughput against baselines measured in the same run. On demand only, not run by CI.
#
#   bench/ows.sh list  [options]   getListEx on 1,000,000 candidates vs the same SQL over plain JDBC
#   bench/ows.sh search [options]  the plugin's ACTONOMY e-mail lookup (keyword search) on the same
#                                  1,000,000 candidates vs the same full-text SQL over plain JDBC
#   bench/ows.sh check [options]   the OWS `check` call vs a bare Javalin endpoint echoing JSON
#   bench/ows.sh add   [options]   CandidateService.add with the change feed vs the same server skipping
#                                  its appends (a system property only this bench sets), tenant ows-bench-add
#   bench/ows.sh limiter [options] the OWS `check` call with the rate limiter on (the key's limit set to
#                                  1,000,000,000 per minute, so nothing is refused) vs off, same server
#
# Both start a Dossier server in-process (one JVM: server, HTTP clients and baselines share the
# machine's cores) on PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), database
# dossier_bench, created when missing and reused afterwards, so the 1M-row load (COPY, ~2 min on
# 2 cores) happens once; no other database is touched. 16 clients (java.net.http, HTTP/1.1
# keep-alive, virtual threads; the JDBC baseline: 16 platform threads on a HikariCP pool of 16, as
# the server's) run back to back: first, unmeasured, 30 s of JIT warm-up on each side, then the
# baseline and the server, each 5 s warm-up + 20 s measured. Prints req/s, p50/p99/max latency,
# CPU per request (this JVM / dossier_bench's PostgreSQL backends) and the load of other processes
# during each phase (it should be ~0; the bench waits up to a minute for a quiet machine, then
# warns), and the ratio. `list` also prints the SQL the server issued for one request (captured from
# jOOQ; the baseline runs exactly that page and count query on every request, where the server keeps
# its count for session.cache-seconds and, with no write between, reads only the page: --no-count
# compares the pages alone), EXPLAIN ANALYZE of both and their unloaded latencies (`search` too). Targets: list ratio >= 0.5 with server p99 < 50 ms; search
# p99 < 100 ms (ratio reported); check ratio >= 0.7; add >= 0.9; limiter >= 0.95.
# A list run takes ~3 min (plus the load once), a check run ~2 min.
#
# Options (after list|check):
#   --fresh            drop and recreate dossier_bench first (reloads the candidates)
#   --database NAME    use this database instead of dossier_bench (created when missing)
#   --seconds N        measured seconds per side (default 20); --warmup N (default 5)
#   --jit-warmup N     unmeasured seconds per side before measuring (default 30)
#   --clients N        concurrent clients (default 16)
#   --quiet-wait N     wait up to N s for a quiet machine before each measurement (default 60; 0 does not wait)
#   --rows N           candidates to load (default 1000000; a different number reloads)
#   --status N         the statusId the list condition asks for (default 3, ~12% of the rows)
#   --no-count         list: getTotalCount 0 on the server, page query only on JDBC
#   --no-explain       list, search: skip the diagnosis (EXPLAIN ANALYZE, unloaded latencies)
#   --names            search: look up surnames (phrases, Zipf-distributed as loaded, 10 rows ranked)
#                      instead of e-mail addresses
#   --work DIR         server log and blob folder (default ${TMPDIR:-/tmp}/dossier-ows-bench)
#
# Needs a built server (./dossier builds server/target when sources changed; DOSSIER_SKIP_BUILD=1
# uses it as it is) and a JDK 22+ (whose source launcher compiles bench/Harness.java beside the bench):
# JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH. Extra JVM flags: OWS_BENCH_JAVA_OPTS. The server's access log goes to <work>/server.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case ${1:-} in
  list | search | check | add | limiter) ;;
  *)
    sed -n '2,44p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_java

bench_server ows.sh

bench_work "${TMPDIR:-/tmp}/dossier-ows-bench" "$@"
mkdir -p "$work"
rm -rf "$work/blobs" "$work/server.log"

# shellcheck disable=SC2086 # OWS_BENCH_JAVA_OPTS is a list of flags
exec "$java" ${OWS_BENCH_JAVA_OPTS:-} -cp "$(bench_classpath)" \
  bench/OwsBench.java "$@" --work "$work"
