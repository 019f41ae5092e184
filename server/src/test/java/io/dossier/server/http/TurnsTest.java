package io.dossier.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.ComputeTurn;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The turns to compute of {@code http.max-active}, and a request giving its own back while it waits for a disk. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TurnsTest {

    @Test
    void aRequestOverTheTurnsWaitsForOneGivenBackAndGivesUpAtItsTimeout() throws Exception {
        var turns = new Turns(2);
        assertThat(turns.take(1, TimeUnit.SECONDS)).isTrue();
        assertThat(turns.take(1, TimeUnit.SECONDS)).isTrue();
        assertThat(turns.take(50, TimeUnit.MILLISECONDS)).as("both turns are held").isFalse();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var third = threads.submit(() -> turns.take(10, TimeUnit.SECONDS));
            awaitWaiters(turns, 1);
            turns.giveBack();
            assertThat(third.get()).as("the turn given back went to the request waiting").isTrue();
        }
        assertThat(turns.free()).isZero();
        turns.giveBack();
        turns.giveBack();
        assertThat(turns.free()).isEqualTo(2);
    }

    @Test
    void newRequestsTakeTurnsInArrivalOrder() throws Exception {
        var turns = new Turns(1);
        turns.take(1, TimeUnit.SECONDS);
        var order = new CopyOnWriteArrayList<Integer>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                int request = i;
                var waiting = threads.submit(() -> {
                    turns.take(10, TimeUnit.SECONDS);
                    order.add(request);
                    turns.giveBack();
                    return null;
                });
                awaitWaiters(turns, request + 1);
            }
            turns.giveBack();
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(turns.free()).isEqualTo(1);
    }

    /**
     * While a request waits for a disk its turn computes another's request; back from the wait, it
     * gets the next turn given back before the requests that have not started.
     */
    @Test
    void aRequestWaitingForTheDiskLendsItsTurnAndGetsOneAgainBeforeNewRequests() throws Exception {
        var turns = new Turns(1);
        var order = new CopyOnWriteArrayList<String>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            turns.take(1, TimeUnit.SECONDS);
            var first = new Turns.Held(turns);
            var diskDone = new CountDownLatch(1);
            var inWait = new CountDownLatch(1);
            var waitingForDisk = threads.submit(() -> ComputeTurn.holding(first, () -> {
                ComputeTurn.whileWaiting(() -> {
                    order.add("first waits for the disk");
                    inWait.countDown();
                    await(diskDone);
                });
                order.add("first goes on");
                first.end();
                return null;
            }));
            inWait.await();
            var second = threads.submit(() -> {
                turns.take(10, TimeUnit.SECONDS);   // the turn the first lent
                order.add("second computes");
                return null;
            });
            second.get();
            var third = threads.submit(() -> {
                turns.take(10, TimeUnit.SECONDS);
                order.add("third computes");
                turns.giveBack();
                return null;
            });
            awaitWaiters(turns, 1);
            diskDone.countDown();
            awaitWaiters(turns, 2);         // the first, back from the disk, waits for the second's turn too
            turns.giveBack();               // the second ends
            waitingForDisk.get();
            third.get();
        }
        assertThat(order).containsExactly("first waits for the disk", "second computes", "first goes on", "third computes");
        assertThat(turns.free()).isEqualTo(1);
    }

    @Test
    void aRequestThatEndsWhileItWaitsForATurnAgainGivesItOnAndNoTurnIsLost() throws Exception {
        var turns = new Turns(1);
        turns.take(1, TimeUnit.SECONDS);
        var request = new Turns.Held(turns);
        request.giveBack();
        turns.take(1, TimeUnit.SECONDS);   // another request computes
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var back = threads.submit(() -> {
                request.takeAgain();
                return null;
            });
            awaitWaiters(turns, 1);
            request.end();       // e.g. the client went away: Jetty completes the request
            turns.giveBack();    // the other request ends
            back.get();
        }
        assertThat(turns.free()).isEqualTo(1);
        request.end();
        request.giveBack();
        request.takeAgain();     // after the end: neither gives back nor takes a turn
        assertThat(turns.free()).isEqualTo(1);
    }

    /** Waits until {@code count} requests wait for a turn. */
    private static void awaitWaiters(Turns turns, int count) throws InterruptedException {
        while (turns.waiting() != count) {
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
