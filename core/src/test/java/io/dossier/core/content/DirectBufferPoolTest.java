package io.dossier.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {

    private static final int BLOCK = 4096;

    @Test
    void aTakerBeyondThePoolsBuffersGetsNoneInsteadOfTakingMoreDirectMemory() {
        var pool = new DirectBufferPool(64 * 1024, 2);
        var first = pool.tryTake(BLOCK, 1);
        var second = pool.tryTake(BLOCK, 1);
        assertThat(pool.tryTake(BLOCK, 1)).as("a third while both are in use").isNull();
        assertThat(pool.tryTake()).isNull();

        pool.give(first[0]);
        var third = pool.tryTake(BLOCK, 1);

        assertThat(third[0]).isSameAs(first[0]);   // the same buffer again, not a new one
        assertThat(third[0].isDirect()).isTrue();
        assertThat(third[0].capacity()).isEqualTo(64 * 1024);
        assertThat(third[0].alignmentOffset(0, BLOCK)).isZero();
        pool.give(second[0]);
        pool.give(third[0]);
    }

    @Test
    void aTakerThatNeedsTwoBuffersGetsBothOrNone() {
        var pool = new DirectBufferPool(64 * 1024, 3);
        var first = pool.tryTake(BLOCK, 2);
        assertThat(pool.tryTake(BLOCK, 2)).as("one buffer is free: not enough").isNull();
        var last = pool.tryTake(BLOCK, 1);
        assertThat(last).as("the refusal took nothing: the one free buffer is still there").isNotNull();

        pool.give(first[0]);
        pool.give(first[1]);
        var second = pool.tryTake(BLOCK, 2);

        assertThat(second).hasSize(2).doesNotContainNull();
        assertThat(second[0]).isNotSameAs(second[1]);
        pool.give(second[0]);
        pool.give(second[1]);
        pool.give(last[0]);
    }

    @Test
    void aKeptBufferIsGivenAgainCleared() {
        var pool = new DirectBufferPool(1024, 1);
        var one = pool.tryTake();
        one.put(new byte[100]).limit(300);
        pool.give(one);

        var again = pool.tryTake();

        assertThat(again).isSameAs(one);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(1024);
        assertThat(again.isDirect()).isTrue();
    }

    @Test
    void aKeptBufferOfAnotherAlignmentIsReplacedNotGivenMisaligned() {
        var pool = new DirectBufferPool(8192, 1);
        var unaligned = pool.tryTake();   // no alignment asked
        pool.give(unaligned);

        var aligned = pool.tryTake(1 << 16, 1)[0];

        assertThat(aligned.alignmentOffset(0, 1 << 16)).isZero();
        assertThat(aligned.capacity()).isEqualTo(8192);
        assertThat(pool.tryTake()).as("the dropped buffer's place is the new one's").isNull();
        pool.give(aligned);
    }

    @Test
    void aBufferHasItsSizeWhateverTheAlignmentAndWhereverTheMemoryStarts() {
        for (int alignment = 1; alignment <= 1 << 16; alignment <<= 1) {
            for (int bytes : new int[] {1, 5000, 4096, 65536, 70_000}) {
                for (int i = 0; i < 4; i++) {
                    var buffer = new DirectBufferPool(bytes, 1).tryTake(alignment, 1)[0];
                    assertThat(buffer.capacity()).as("%d bytes aligned to %d", bytes, alignment).isEqualTo(bytes);
                    assertThat(buffer.alignmentOffset(0, alignment)).isZero();
                }
            }
        }
    }
}
