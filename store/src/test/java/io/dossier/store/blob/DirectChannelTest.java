package io.dossier.store.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DirectChannelTest {

    private static final int BLOCK = 4096;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWriterBeyondThePoolsBuffersWaitsForOneInsteadOfTakingMoreDirectMemory() throws Exception {
        var pool = new DirectChannel.Pool(64 * 1024, 2);
        var first = pool.take(BLOCK);
        var second = pool.take(BLOCK);
        var third = new ArrayList<java.nio.ByteBuffer>();
        var waiting = Thread.ofVirtual().start(() -> {
            try {
                third.add(pool.take(BLOCK));
            } catch (java.io.InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        while (waiting.getState() != Thread.State.WAITING) {
            Thread.sleep(10);   // the third writer gets no buffer while both are in use
        }
        assertThat(third).isEmpty();

        pool.give(first);
        waiting.join();

        assertThat(third.getFirst()).isSameAs(first);   // the same buffer again, not a new one
        assertThat(third.getFirst().isDirect()).isTrue();
        assertThat(third.getFirst().capacity()).isEqualTo(64 * 1024);
        assertThat(third.getFirst().alignmentOffset(0, BLOCK)).isZero();
        pool.give(second);
        pool.give(third.getFirst());
    }
}
