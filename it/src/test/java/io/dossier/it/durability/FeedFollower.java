package io.dossier.it.durability;

import io.dossier.it.support.StorageSetup;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Youforce client that syncs HR persons through the whole run, as delta clients do: it walks
 * {@code persons?changedAfter=…} page by page through {@code nextLink}s, then starts the next
 * walk. A walk reads the change feed, so its pages must never skip a person whose import was
 * acknowledged before the walk read past it, kill or no kill.
 *
 * <p>When its node is killed mid-walk, it comes back as a client would a moment later: it waits
 * until the next round's writers have been at work for a while, then asks for the same nextLink of
 * the restarted node. A feed that handed out a change before it was durable would fail here: the
 * kill undoes a change the walk has passed, the next writes take its place in the feed, and the
 * walk, already past that place, never gives them (a race a few milliseconds wide, from a commit to
 * its fsync: see {@link ChangeFeedKillIT}).
 */
final class FeedFollower implements Runnable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A page asked for at {@code at}; {@code afterFailure} when the request before it failed (its node was killed). */
    record Ask(Instant at, boolean afterFailure) {
    }

    /**
     * One finished walk: what it asked for, its pages' requests in order, the persons it gave, and
     * whether it went on across a failure of its node.
     */
    record Walk(Instant changedAfter, List<Ask> asked, Set<String> ids, boolean acrossFailure) {

        /**
         * Persons acknowledged before this moment are in the walk if their change falls in its
         * window. A node reads the page after the one it sends at once (Youforce's read-ahead), so
         * the last page may be as old as the request before it; not when that request went to a
         * node since killed, whose read-ahead went with it.
         */
        Instant complete() {
            var last = asked.getLast();
            return asked.size() < 2 || last.afterFailure() ? last.at() : asked.get(asked.size() - 2).at();
        }

        /** The problem if this walk should have given {@code person} and did not, else null. */
        Verifier.Problem check(Ledger.Person person) {
            var inWindow = person.sent().isAfter(changedAfter.plusMillis(1));
            if (inWindow && person.acknowledged().isBefore(complete()) && !ids.contains(person.id())) {
                return new Verifier.Problem(Verifier.Verdict.SKIPPED, person, "a walk of persons changed after " + STAMP.format(changedAfter)
                        + " (" + asked.size() + " pages, the last asked at " + asked.getLast().at() + (acrossFailure ? ", across a kill" : "")
                        + ") did not give it");
            }
            return null;
        }
    }

    private final AtomicReference<Node> node;
    private final int take;
    private final long windowMillis;
    private final Credentials credentials;
    private final AtomicBoolean stop;
    private final List<Walk> walks = new ArrayList<>();
    /**
     * Failed requests by what they met (at most 10 kinds), for a report: a kill's refused connections,
     * or, were it a bug, a live node's refusal, such as of a nextLink it no longer takes.
     */
    private final java.util.Map<String, Integer> failures = new java.util.LinkedHashMap<>();
    /** The round whose writers have been at work for a while; a walk cut off by a kill goes on after the next such round. */
    private volatile int loadedRound;
    private int failedInRound;

    /**
     * @param take persons a page: few enough for a walk to have several pages, so that a kill often
     *             falls inside one, and enough for a walk to catch up with the writers and end
     * @param windowMillis each walk asks for the persons changed in this long before it starts
     */
    FeedFollower(AtomicReference<Node> node, int take, long windowMillis, Credentials credentials, AtomicBoolean stop) {
        this.node = node;
        this.take = take;
        this.windowMillis = windowMillis;
        this.credentials = credentials;
        this.stop = stop;
    }

    /** The writers of {@code round} have been at work for a while. */
    void loaded(int round) {
        loadedRound = round;
    }

    synchronized List<Walk> walks() {
        return List.copyOf(walks);
    }

    /** Each kind of failed request, with how many times it happened. */
    synchronized List<String> failures() {
        return failures.entrySet().stream().map(e -> e.getValue() + " × " + e.getKey()).toList();
    }

    @Override
    public void run() {
        String token = null;
        while (!stop.get()) {
            var changedAfter = Instant.now().minusMillis(windowMillis);
            var query = "?changedAfter=" + STAMP.format(changedAfter) + "&take=" + take;
            var asked = new ArrayList<Ask>();
            var ids = new HashSet<String>();
            boolean acrossFailure = false;
            boolean failed = false;
            while (query != null && !stop.get()) {
                var at = Instant.now();
                try {
                    if (token == null) {
                        token = new Wire(node.get().uri("/")).youforceToken(credentials.tenant(), credentials.hrReaderId(),
                                credentials.hrReaderSecret());
                    }
                    var page = new Wire(node.get().uri("/")).youforcePersons(token, query);
                    asked.add(new Ask(at, failed));
                    failed = false;
                    page.path("value").forEach(person -> ids.add(person.path("id").asText()));
                    var next = page.path("nextLink").asText("");
                    query = next.isEmpty() ? null : next.substring(next.indexOf('?'));
                } catch (Wire.NotAcknowledged e) {
                    var what = e.getMessage().length() > 200 ? e.getMessage().substring(0, 200) + "…" : e.getMessage();
                    synchronized (this) {
                        if (failures.size() < 10 || failures.containsKey(what)) {
                            failures.merge(what, 1, Integer::sum);
                        }
                    }
                    if (e.getMessage().contains("HTTP 401")) {
                        token = null;
                    }
                    acrossFailure = true;
                    failed = true;
                    awaitLaterRound();
                }
            }
            if (query == null) {
                synchronized (this) {
                    walks.add(new Walk(changedAfter, List.copyOf(asked), Set.copyOf(ids), acrossFailure));
                }
            }
            Node.sleep(50);
        }
    }

    /**
     * The acknowledged persons among {@code acks} that one of {@code walks} (in the order they
     * ended) should have given and did not. On PostgreSQL a change shows in the feed only once every
     * transaction older than it has ended, on the whole server (ChangeFeed): a node killed in a
     * transaction holds the feed back until PostgreSQL ends it, so a person acknowledged meanwhile
     * may come a walk later. There a person a later walk gave was delayed, not skipped; on the
     * embedded database a change shows at its commit, and the check stays strict.
     */
    static List<Verifier.Problem> skipped(List<Walk> walks, List<Ledger.Ack> acks, StorageSetup.Kind storage) {
        var persons = acks.stream().filter(a -> a instanceof Ledger.Person).map(a -> (Ledger.Person) a).toList();
        var problems = new ArrayList<Verifier.Problem>();
        for (int i = 0; i < walks.size(); i++) {
            for (var person : persons) {
                var problem = walks.get(i).check(person);
                if (problem != null && !(storage == StorageSetup.Kind.POSTGRES_S3 && givenLater(walks, i, person))) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    private static boolean givenLater(List<Walk> walks, int after, Ledger.Person person) {
        for (int j = after + 1; j < walks.size(); j++) {
            if (walks.get(j).ids().contains(person.id())) {
                return true;
            }
        }
        return false;
    }

    /** After a failure (its node killed), waits until a later round's writers have been at work, then tries again. */
    private void awaitLaterRound() {
        failedInRound = Math.max(failedInRound, loadedRound);
        while (!stop.get() && loadedRound <= failedInRound) {
            Node.sleep(50);
        }
    }
}
