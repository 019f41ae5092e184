package io.dossier.core.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void takesWaitForBytesGivenBackAndAreRefusedAsUnavailableWhenNoneComeInTime() throws Exception {
        var budget = new MemoryBudget(100, 200);
        assertThat(budget.take(60)).isEqualTo(60);
        assertThat(budget.take(40)).isEqualTo(40);
        var refused = catchThrowableOfType(Failure.class, () -> budget.take(1));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.UNAVAILABLE);

        var waiting = new CountDownLatch(1);
        try (var pool = Executors.newSingleThreadExecutor()) {
            var later = pool.submit(() -> {
                waiting.countDown();
                return budget.take(50);
            });
            waiting.await();
            budget.give(60);
            assertThat(later.get()).isEqualTo(50);
        }
        assertThat(budget.available()).isEqualTo(10);
    }

    @Test
    void tryTakeTakesOnlyWhatIsFreeNowAndNeverWaits() {
        var budget = new MemoryBudget(100, 60_000);
        assertThat(budget.tryTake(70)).isTrue();
        assertThat(budget.tryTake(31)).isFalse();
        assertThat(budget.tryTake(101)).as("more than the whole budget").isFalse();
        assertThat(budget.available()).isEqualTo(30);
        budget.give(70);
        assertThat(budget.tryTake(100)).isTrue();
    }

    @Test
    void aBodyLargerThanTheWholeBudgetTakesTheWholeBudgetRatherThanWaitingForEver() {
        var budget = new MemoryBudget(100, 200);
        assertThat(budget.take(1_000)).isEqualTo(100);
        budget.give(100);
        assertThat(budget.available()).isEqualTo(100);
    }
}
