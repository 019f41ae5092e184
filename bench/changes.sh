#!/usr/bin/env bash
# Reading the change feed: 1,000,000 changes of one tenant, paged 1,000 at a time, through the core
# reader (ChangeFeed.changes: a signed cursor in, a page and the next cursor out) against the same
# keyset query over plain JDBC on the same connection pool. On demand only, not run by CI.
#
#   bench/changes.sh [options]
#
# Runs in one JVM on PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), database
# dossier_changes_bench, created when missing and reused afterwards (the load, generate_series,
# takes some seconds, once); no other database is touched. One full read each to warm up, then
# --rounds rounds of JDBC then core; prints changes/s of each and the ratio of the best of each.
# Target: core / JDBC >= 0.7. The OWS `add` throughput with and without the feed is bench/ows.sh add.
#
# Options:
#   --fresh        drop and recreate dossier_changes_bench first
#   --rows N       changes of the tenant read (default 1000000; a different number reloads)
#   --page N       changes per page (default 1000)
#   --rounds N     measured rounds (default 3)
#
# Needs a built server (./dossier builds server/target when sources changed; DOSSIER_SKIP_BUILD=1
# uses it as it is) and a JDK 22+ (whose source launcher compiles bench/Harness.java beside the bench):
# JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_help 22 "$@"
bench_java

bench_server changes.sh

exec "$java" -cp "$(bench_classpath)" bench/ChangeFeedBench.java "$@"
