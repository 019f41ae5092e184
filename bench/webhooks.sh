#!/usr/bin/env bash
# Webhooks end to end: N record updates made through OWS (CandidateService.update, from several
# client threads) on one `dossier start` node on PostgreSQL, each told to a local receiver (in
# this process) by a webhook. Prints deliveries per second (from the first update to the last
# delivery) and the delay from a change to its arrival at the receiver (p50, p99, max; the change's
# time is the notification's "time", taken in its transaction just before the commit). Checks that
# every update arrived once. On demand only, not run by CI.
#
#   bench/webhooks.sh [--updates 10000] [--records 100] [--clients 8] [--concurrency 16] [--rate N] [--work DIR]
#
# Without --rate the clients update as fast as they can: on 2 cores they then make changes faster
# than one node delivers them, a backlog grows, and the delay measures the backlog. --rate N paces
# the updates at N a second in all, to measure the delay at a load the node keeps up with.
#
# Uses PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), database dossier_webhooks_bench,
# dropped and created anew by each run; no other database is touched. The node logs to
# <work>/node.log (default ${TMPDIR:-/tmp}/dossier-webhooks-bench).
#
# Needs a built server (./dossier builds server/target when sources changed; DOSSIER_SKIP_BUILD=1
# uses it as it is) and a JDK 22+ (whose source launcher compiles bench/Harness.java beside the bench):
# JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_help 21 "$@"
bench_java

bench_server webhooks.sh

exec "$java" -cp "$(bench_classpath)" bench/WebhooksBench.java "$@"
