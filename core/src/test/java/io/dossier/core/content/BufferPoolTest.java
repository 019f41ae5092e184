package io.dossier.core.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void anArrayGivenBackIsTakenAgainAndOnlyAsManyAsKeptWait() {
        var pool = new BufferPool(16, 2);
        var a = pool.take();
        var b = pool.take();
        var c = pool.take();
        assertThat(a).hasSize(16).isNotSameAs(b);
        pool.give(a);
        pool.give(b);
        pool.give(c);   // a third beyond the two kept: dropped
        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.take()).isSameAs(b);
        assertThat(pool.take()).isNotSameAs(c).hasSize(16);
    }

    @Test
    void anArrayOfAnotherSizeOrNoneIsNotKept() {
        var pool = new BufferPool(16, 2);
        var other = new byte[8];
        pool.give(other);
        pool.give(null);
        assertThat(pool.take()).hasSize(16).isNotSameAs(other);
        assertThatThrownBy(() -> new BufferPool(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
