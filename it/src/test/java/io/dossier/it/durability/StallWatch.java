package io.dossier.it.durability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes thread dumps of the nodes when a step of a crash run (a round's verification, the writers
 * stopping) goes on far longer than it ever should, so that a node that stops making progress (a
 * lock held by a transaction that never ends) leaves the evidence of what it waits for beside its
 * log. It asserts nothing about time: the run goes on, and says how many steps it had to dump for.
 */
final class StallWatch implements AutoCloseable {

    /** Far beyond what a step takes on a slow, loaded machine (a round's verification: a few seconds). */
    static final Duration AFTER = Duration.ofSeconds(90);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        var thread = new Thread(r, "crash-stall-watch");
        thread.setDaemon(true);
        return thread;
    });

    private final ScheduledFuture<?> dump;
    private volatile boolean fired;

    private StallWatch(List<Node> nodes, Path folder, String step, Consumer<String> log) {
        this.dump = TIMER.scheduleWithFixedDelay(() -> {
            fired = true;
            var label = step.replaceAll("[^A-Za-z0-9]+", "-") + "-" + System.currentTimeMillis();
            for (var node : nodes) {
                if (node.isAlive()) {
                    try {
                        log.accept(step + " still running after " + AFTER.toSeconds() + " s or more: threads of " + node.name() + " in "
                                + node.dumpThreads(folder, label));
                    } catch (RuntimeException e) {
                        log.accept("could not dump the threads of " + node + ": " + e);
                    }
                }
            }
        }, AFTER.toMillis(), AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Watches a step over {@code nodes} until closed; dumps go to {@code folder}, with the node logs. */
    static StallWatch of(List<Node> nodes, Path folder, String step, Consumer<String> log) {
        return new StallWatch(List.copyOf(nodes), folder, step, log);
    }

    /** Whether the step ran long enough for a dump. */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        dump.cancel(false);
    }
}
