package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.content.MemoryBudget;
import org.junit.jupiter.api.Test;

class ReadBuffersTest {

    @Test
    void directBuffersUpToTheLimitThenHeapBuffersWithinTheBudgetThenARefusal() {
        var buffers = new ReadBuffers(1024, 2, new MemoryBudget(200, 50));
        var one = buffers.take(100);
        var two = buffers.take(100);
        assertThat(one.isDirect()).isTrue();
        assertThat(two.isDirect()).isTrue();
        assertThat(one.capacity()).isEqualTo(1024);

        var three = buffers.take(100);
        var four = buffers.take(100);
        assertThat(three.isDirect()).as("no third direct buffer is made").isFalse();
        assertThat(three.capacity()).isEqualTo(100);
        var refused = catchThrowableOfType(Failure.class, () -> buffers.take(100));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.UNAVAILABLE);

        buffers.give(four);
        assertThat(buffers.take(100).isDirect()).as("the budget's share given back").isFalse();
        buffers.give(one);
        assertThat(buffers.take(100)).as("the same direct buffer again, not a new one").isSameAs(one);
    }

    @Test
    void aDownloadThatMustWaitForTheBudgetGivesItsTurnBackFirst() throws Exception {
        var buffers = new ReadBuffers(1024, 1, new MemoryBudget(100, 50));
        buffers.take(50);   // the direct buffer
        var turns = new java.util.concurrent.atomic.AtomicInteger();
        io.dossier.core.ComputeTurn.holding(turns::incrementAndGet, () -> buffers.take(50));
        assertThat(turns).as("a take that found room keeps its turn").hasValue(0);
        buffers.take(50);   // the rest of the budget

        var refused = catchThrowableOfType(Failure.class,
                () -> io.dossier.core.ComputeTurn.holding(turns::incrementAndGet, () -> buffers.take(50)));

        assertThat(refused.kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(turns).as("given back before the wait").hasValue(1);
    }

    @Test
    void tryDirectGivesNoneRatherThanAHeapBuffer() {
        var buffers = new ReadBuffers(1024, 1, new MemoryBudget(1 << 20, 50));
        var one = buffers.tryDirect();
        assertThat(one).isNotNull();
        assertThat(buffers.tryDirect()).isNull();
        buffers.give(one);
        assertThat(buffers.tryDirect()).isSameAs(one);
    }

    @Test
    void aHeapBufferLargerThanTheWholeBudgetIsRefusedAndTakesNothing() {
        var budget = new MemoryBudget(64, 50);
        var buffers = new ReadBuffers(1024, 1, budget);
        buffers.take(100);   // the direct buffer

        var refused = catchThrowableOfType(Failure.class, () -> buffers.take(100));

        assertThat(refused.kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(budget.available()).as("the share it was granted given back").isEqualTo(64);
        var fits = buffers.take(64);
        assertThat(fits.capacity()).isEqualTo(64);
        buffers.give(fits);
        assertThat(budget.available()).isEqualTo(64);
    }
}
