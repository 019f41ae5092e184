package io.dossier.it.durability;

import io.dossier.it.support.StorageSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kill -9 engine behind {@code bench/crash.sh} and the CI tests {@code CrashIT} and
 * {@code MultiNodeIT}. Each round: W writers put the mixed load on the nodes, one node is killed
 * with SIGKILL at a random moment, and every write acknowledged in that round is looked up again
 * through the HTTP APIs (on a restarted node, or on the surviving ones when there are several);
 * the killed node is then started again on the same storage. After the last round every
 * acknowledged write is checked once more, the nodes are stopped, and the storage is searched for
 * leftovers: blobs no row refers to, and tickets of resumable uploads whose close was acknowledged.
 */
final class CrashRun {

    /** What to run: on which storage, how many rounds, writers and nodes, how long the load lasts before a kill. */
    record Options(StorageSetup.Kind storage, int rounds, int writers, int nodes, Duration minLoad, Duration maxLoad, long seed,
                   Map<String, String> nodeSettings, boolean checkTakeover, PrintStream out) {
        Options {
            if (rounds < 1 || writers < 1 || nodes < 1 || minLoad.compareTo(maxLoad) > 0) {
                throw new IllegalArgumentException("rounds, writers and nodes must be positive and min load <= max load");
            }
            if (nodes > 1 && storage == StorageSetup.Kind.EMBEDDED) {
                throw new IllegalArgumentException("several nodes need PostgreSQL + S3: the embedded database belongs to one process");
            }
            if (checkTakeover && nodes < 2) {
                throw new IllegalArgumentException("the takeover check needs a surviving node: use it with several nodes");
            }
        }
    }

    /** The outcome of a run: the figures the bench prints and the tests assert on. */
    record Report(Options options, Map<String, Integer> acknowledged, int acknowledgedByKilledNodes, List<Verifier.Problem> problems,
                  int attempts, int unacknowledged, List<String> refusedWhileUp, List<Duration> restartTimes,
                  int unreferencedBlobs, int missingBlobs, int tempFiles, long ticketsLeftAfterClose, Optional<Takeover.Outcome> takeover,
                  int stalls, int walks, int walksAcrossKill, List<String> walkFailures) {

        long lost() {
            return problems.stream().filter(p -> p.verdict() == Verifier.Verdict.LOST).count();
        }

        long corrupt() {
            return problems.stream().filter(p -> p.verdict() == Verifier.Verdict.CORRUPT).count();
        }

        long skipped() {
            return problems.stream().filter(p -> p.verdict() == Verifier.Verdict.SKIPPED).count();
        }

        int acknowledgedTotal() {
            return acknowledged.values().stream().mapToInt(Integer::intValue).sum();
        }

        void print(PrintStream out) {
            out.printf(Locale.ROOT, "%n== crash run: %s, %d node(s), %d rounds, %d writers ==%n", options.storage().name().toLowerCase(Locale.ROOT),
                    options.nodes(), options.rounds(), options.writers());
            out.printf(Locale.ROOT, "acknowledged %d writes (%d by a node then killed); %d load operations tried, %d calls not acknowledged%n",
                    acknowledgedTotal(), acknowledgedByKilledNodes, attempts, unacknowledged);
            acknowledged.forEach((kind, count) -> out.printf(Locale.ROOT, "  %-34s %6d%n", kind, count));
            out.printf(Locale.ROOT, "lost %d, corrupt %d%n", lost(), corrupt());
            out.printf(Locale.ROOT, "change feed: %d walks of HR persons through Youforce (%d of them went on across a kill), %d acknowledged"
                    + " persons skipped%n", walks, walksAcrossKill, skipped());
            walkFailures.forEach(f -> out.println("  walks' requests that failed: " + f));
            problems.stream().limit(20).forEach(p -> out.println("  " + p));
            out.printf(Locale.ROOT, "leftovers: %d unreferenced blobs, %d temp files, %d resumable tickets left after an acknowledged close"
                    + " (and %d rows whose blob is missing)%n", unreferencedBlobs, tempFiles, ticketsLeftAfterClose, missingBlobs);
            out.printf(Locale.ROOT, "restart after kill (launch to ready): %s%n", restartTimes.stream()
                    .map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)).toList());
            if (!restartTimes.isEmpty()) {
                var sorted = restartTimes.stream().sorted().toList();
                out.printf(Locale.ROOT, "  min %.1f s, median %.1f s, max %.1f s%n", sorted.getFirst().toMillis() / 1000.0,
                        sorted.get(sorted.size() / 2).toMillis() / 1000.0, sorted.getLast().toMillis() / 1000.0);
            }
            if (!refusedWhileUp.isEmpty()) {
                out.printf(Locale.ROOT, "refused by a node that was not being killed: %d%n", refusedWhileUp.size());
                refusedWhileUp.stream().limit(10).forEach(r -> out.println("  " + r));
            }
            takeover.ifPresent(t -> t.lines().forEach(line -> out.println("takeover: " + line)));
            if (stalls > 0) {
                out.printf(Locale.ROOT, "stalled: %d step(s) ran over %d s; the nodes' threads are dumped beside their logs%n", stalls,
                        StallWatch.AFTER.toSeconds());
            }
        }
    }

    private final Options options;
    private final Random random;
    private final PrintStream out;

    CrashRun(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.out = options.out();
    }

    Report run(Path logs) throws Wire.NotAcknowledged {
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var deployment = new Deployment(options.storage(), logs, options.nodeSettings())) {
            return run(deployment, logs);
        }
    }

    private Report run(Deployment deployment, Path logs) throws Wire.NotAcknowledged {
        var nodes = new ArrayList<Node>();
        for (int i = 1; i <= options.nodes(); i++) {
            nodes.add(deployment.launch("node" + i));
        }
        for (var node : nodes) {
            var took = node.awaitReady(Deployment.STARTUP);
            log("%s ready in %.1f s (first start%s)", node, took.toMillis() / 1000.0,
                    options.storage() == StorageSetup.Kind.EMBEDDED ? ", seeds the demo tenant" : "");
        }
        var credentials = deployment.credentials(nodes.getFirst()).withHrReader(nodes.getFirst());
        var setup = new Wire(nodes.getFirst().uri("/"));
        var documentType = setup.addDocumentType(setup.login(credentials.owsApiKey()), "Crash CV");

        var ledger = new Ledger();
        var tally = new Writer.Tally();
        var problems = new ArrayList<Verifier.Problem>();
        var restarts = new ArrayList<Duration>();
        int acknowledgedByKilled = 0;
        Takeover.Outcome takeover = null;
        var followed = new AtomicReference<>(nodes.getFirst());
        var followerStop = new AtomicBoolean();
        var follower = new FeedFollower(followed, 5, 3000, credentials, followerStop);
        var following = Thread.ofPlatform().daemon().name("crash-feed-follower").start(follower);
        for (int round = 1; round <= options.rounds(); round++) {
            var victimIndex = random.nextInt(nodes.size());
            var victim = nodes.get(victimIndex);
            var planted = options.checkTakeover() && round == 1 ? Takeover.plant(victim, credentials, deployment) : null;

            var stop = new AtomicBoolean();
            Set<Node> killing = ConcurrentHashMap.newKeySet();
            var writers = new ArrayList<Writer>();
            for (int w = 0; w < options.writers(); w++) {
                writers.add(new Writer(round, nodes.get(w % nodes.size()), "r" + round + "w" + w, credentials, documentType, ledger, tally,
                        stop, killing::contains, random.nextLong()));
            }
            var threads = Writer.startAll(writers);
            var load = options.minLoad().toMillis() + (long) (random.nextDouble() * (options.maxLoad().toMillis() - options.minLoad().toMillis()));
            Node.sleep(Math.min(load, FOLLOWER_RESUMES_AFTER));
            follower.loaded(round);
            Node.sleep(load - Math.min(load, FOLLOWER_RESUMES_AFTER));
            killing.add(victim);
            victim.kill();
            if (nodes.size() > 1) {
                Node.sleep(1000);   // the others carry on under load for a moment
            }
            stop.set(true);
            try (var watch = StallWatch.of(nodes, logs, "round " + round + ": the writers stopping", this::log)) {
                for (var thread : threads) {
                    join(thread);
                }
                stalls += watch.fired() ? 1 : 0;
            }

            var survivors = new ArrayList<>(nodes);
            survivors.remove(victim);
            var acks = ledger.ofRound(round);
            acknowledgedByKilled += (int) acks.stream().filter(a -> a.node().equals(victim.name())).count();
            List<Verifier.Problem> found;
            if (survivors.isEmpty()) {
                var restarted = deployment.launch(victim.name());
                var took = restarted.awaitReady(Deployment.STARTUP);
                restarts.add(took);
                nodes.set(victimIndex, restarted);
                if (victimIndex == 0) {
                    followed.set(restarted);
                }
                found = verify(List.of(restarted), acks, credentials, documentType, logs, "round " + round + ": the verification");
                log("round %d: killed %s after %d ms of load; %d writes acknowledged in the round, %d lost or corrupt; restart %.1f s",
                        round, victim.name(), load, acks.size(), found.size(), took.toMillis() / 1000.0);
            } else {
                found = verify(survivors, acks, credentials, documentType, logs, "round " + round + ": the verification");
                if (planted != null) {
                    takeover = planted.awaitCollected(deployment);
                }
                var restarted = deployment.launch(victim.name());
                var took = restarted.awaitReady(Deployment.STARTUP);
                restarts.add(took);
                nodes.set(victimIndex, restarted);
                if (victimIndex == 0) {
                    followed.set(restarted);
                }
                log("round %d: killed %s after %d ms of load; %d writes acknowledged in the round (%d by %s), %d lost or corrupt"
                        + " (checked on the survivors); restart %.1f s", round, victim.name(), load, acks.size(),
                        acks.stream().filter(a -> a.node().equals(victim.name())).count(), victim.name(), found.size(), took.toMillis() / 1000.0);
            }
            found.forEach(p -> log("  %s", p));
        }

        followerStop.set(true);
        join(following);
        var walks = follower.walks();
        problems.addAll(FeedFollower.skipped(walks, ledger.all(), options.storage()));
        // Last look at everything, then leftovers once nothing runs (H2 is opened by one process at a time).
        problems.addAll(verify(nodes, ledger.all(), credentials, documentType, logs, "the last verification"));
        nodes.forEach(Node::stop);
        var stored = deployment.storedBlobs();
        var referenced = deployment.referencedBlobs();
        var unreferenced = new HashSet<>(stored);
        unreferenced.removeAll(referenced);
        var missing = new HashSet<>(referenced);
        missing.removeAll(stored);
        var closedTickets = ledger.all().stream().filter(a -> a instanceof Ledger.Publication p && p.resumableToken() != null)
                .map(a -> ((Ledger.Publication) a).resumableToken()).toList();
        var report = new Report(options, ledger.countByKind(), acknowledgedByKilled, problems, tally.attempts.get(), tally.unacknowledged.get(),
                List.copyOf(tally.refusedWhileUp), restarts, unreferenced.size(), missing.size(), deployment.tempFiles(),
                deployment.openTickets(closedTickets), Optional.ofNullable(takeover), stalls, walks.size(),
                (int) walks.stream().filter(FeedFollower.Walk::acrossFailure).count(), follower.failures());
        report.print(out);
        return report;
    }

    /** How long a round's writers work before a walk cut off by the last kill goes on (a client coming back a moment later). */
    private static final long FOLLOWER_RESUMES_AFTER = 500;

    /** Steps that ran so long that {@link StallWatch} dumped the nodes' threads. */
    private int stalls;

    /**
     * Checks {@code acks} spread over {@code nodes}, each on a node other than the one that acknowledged it when there is one;
     * a verification that stalls leaves thread dumps in {@code logs}.
     */
    private List<Verifier.Problem> verify(List<Node> nodes, List<Ledger.Ack> acks, Credentials credentials, String documentType, Path logs,
                                          String step) throws Wire.NotAcknowledged {
        try (var watch = StallWatch.of(nodes, logs, step, this::log)) {
            var problems = verify(nodes, acks, credentials, documentType);
            stalls += watch.fired() ? 1 : 0;
            return problems;
        }
    }

    private List<Verifier.Problem> verify(List<Node> nodes, List<Ledger.Ack> acks, Credentials credentials, String documentType)
            throws Wire.NotAcknowledged {
        var byNode = new HashMap<Node, List<Ledger.Ack>>();
        int i = 0;
        for (var ack : acks) {
            var others = nodes.stream().filter(n -> !n.name().equals(ack.node())).toList();
            var choice = (others.isEmpty() ? nodes : others).get(i++ % (others.isEmpty() ? nodes.size() : others.size()));
            byNode.computeIfAbsent(choice, n -> new ArrayList<>()).add(ack);
        }
        var problems = new ArrayList<Verifier.Problem>();
        for (var entry : byNode.entrySet()) {
            problems.addAll(Verifier.on(entry.getKey(), credentials, documentType).check(entry.getValue()));
        }
        return problems;
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(90));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " is still running 90 s after it was told to stop");
        }
    }

    private void log(String format, Object... args) {
        out.printf(Locale.ROOT, "[%tT] " + format + "%n", prepend(java.time.LocalTime.now(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        var all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /**
     * {@code bench/crash.sh}: {@code [--storage embedded|postgres-s3] [--rounds N] [--writers W] [--nodes K]
     * [--load-ms MIN-MAX] [--seed S] [--logs DIR] [--takeover]}. Exits 1 when a write was lost or corrupt, or a walk of the change feed skipped one.
     */
    public static void main(String[] args) throws Exception {
        var storage = StorageSetup.Kind.EMBEDDED;
        int rounds = 20;
        int writers = 8;
        int nodes = 1;
        long minLoad = 2000;
        long maxLoad = 8000;
        long seed = System.nanoTime();
        Path logs = null;
        boolean takeover = false;
        var settings = new HashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--storage" -> storage = switch (args[++i]) {
                    case "embedded" -> StorageSetup.Kind.EMBEDDED;
                    case "postgres-s3" -> StorageSetup.Kind.POSTGRES_S3;
                    default -> throw new IllegalArgumentException("--storage is embedded or postgres-s3, not " + args[i]);
                };
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--load-ms" -> {
                    var range = args[++i].split("-", 2);
                    minLoad = Long.parseLong(range[0]);
                    maxLoad = Long.parseLong(range.length > 1 ? range[1] : range[0]);
                }
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                case "--setting" -> {
                    var pair = args[++i].split("=", 2);
                    settings.put(pair[0], pair[1]);
                }
                case "--takeover" -> takeover = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (logs == null) {
            logs = Files.createTempDirectory("dossier-crash-");
        }
        System.out.printf(Locale.ROOT, "seed %d; node logs in %s%n", seed, logs);
        var report = new CrashRun(new Options(storage, rounds, writers, nodes, Duration.ofMillis(minLoad), Duration.ofMillis(maxLoad), seed,
                settings, takeover, System.out)).run(logs);
        System.exit(report.lost() + report.corrupt() + report.skipped() == 0 ? 0 : 1);
    }
}
