package io.dossier.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class TargetCheckTest {

    /** partner.example resolves to a public address, inside.example to a private one, rebinding.example to both. */
    static final TargetCheck CHECK = new TargetCheck(host -> switch (host) {
        case "partner.example" -> new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        case "inside.example" -> new InetAddress[] {InetAddress.getByName("10.0.0.5")};
        case "rebinding.example" -> new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")};
        case "gone.example" -> throw new UnknownHostException(host);
        default -> InetAddress.getAllByName(host);
    });

    @Test
    void aPublicHttpOrHttpsTargetIsAccepted() {
        assertThat(CHECK.check("https://partner.example/hooks?x=1", false).getHost()).isEqualTo("partner.example");
        assertThat(CHECK.check("http://partner.example:8080/", false).getPort()).isEqualTo(8080);
        assertThat(CHECK.check("http://93.184.216.34/", false)).isNotNull();
    }

    @Test
    void privateLoopbackAndLinkLocalAddressesAreRefusedUnlessAllowed() {
        for (var url : new String[] {"http://inside.example/", "http://rebinding.example/", "http://127.0.0.1/", "http://localhost/",
                "http://10.9.8.7/", "http://172.31.0.1/", "http://192.168.1.1/", "http://169.254.169.254/", "http://[::1]/",
                "http://[fe80::1]/", "http://[fd12::1]/", "http://0.0.0.0/", "http://100.100.0.1/", "http://[::ffff:10.0.0.1]/",
                "http://224.0.0.1/"}) {
            assertThatThrownBy(() -> CHECK.check(url, false)).as(url).isInstanceOf(Failure.class)
                    .hasMessageContaining("webhooks.allow-private-targets");
            assertThat(CHECK.check(url, true)).as(url).isNotNull();
        }
    }

    @Test
    void otherSchemesUserInfoAndUnresolvableHostsAreRefused() {
        for (var url : new String[] {"ftp://partner.example/", "file:///etc/passwd", "javascript:alert(1)", "partner.example/x", "",
                "http://user:pw@partner.example/", "http:///nohost", "http://partner.example/#frag", "http://gone.example/"}) {
            assertThatThrownBy(() -> CHECK.check(url, true)).as(url).isInstanceOf(Failure.class)
                    .satisfies(e -> assertThat(((Failure) e).kind()).isEqualTo(Failure.Kind.INVALID));
        }
    }
}
