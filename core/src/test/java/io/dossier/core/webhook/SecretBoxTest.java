package io.dossier.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    static SecretBox box() {
        return new SecretBox(Base64.getDecoder().decode(SecretBox.newKey()));
    }

    @Test
    void aSealedSecretOpensUnderItsKeyAndShowsNothingOfItself() {
        var box = box();
        var sealed = box.seal("whsec_the-secret");
        assertThat(sealed).startsWith("v1.").doesNotContain("the-secret");
        assertThat(box.open(sealed)).isEqualTo("whsec_the-secret");
        assertThat(box.seal("whsec_the-secret")).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void anotherKeyOrAnAlteredTextDoesNotOpen() {
        var sealed = box().seal("whsec_x");
        assertThatThrownBy(() -> box().open(sealed)).isInstanceOf(IllegalStateException.class).hasMessageContaining("secrets.key");
        var bytes = Base64.getDecoder().decode(sealed.substring(3));
        bytes[bytes.length - 1] ^= 1;
        var altered = "v1." + Base64.getEncoder().encodeToString(bytes);
        var box = box();
        assertThatThrownBy(() -> box.open(altered)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SecretBox(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
