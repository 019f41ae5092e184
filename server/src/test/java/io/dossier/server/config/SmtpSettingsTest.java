package io.dossier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.store.mail.SmtpMailTransport;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The smtp.* settings: none without smtp.host, defaults by security, and a clear error naming the setting. */
class SmtpSettingsTest {

    static Settings production(Map<String, String> extra) {
        var file = new HashMap<String, String>(Map.of("db.url", "jdbc:h2:mem:x", "blob.store", "folder", "blob.folder", "/tmp/x"));
        file.putAll(extra);
        return Settings.production(file, Map.of());
    }

    @Test
    void withoutAHostMailStaysInTheOutbox() {
        assertThat(production(Map.of()).smtp()).isEmpty();
    }

    @Test
    void aHostAloneMeansStarttlsOn587() {
        var smtp = production(Map.of("smtp.host", "mail.example.com")).smtp().orElseThrow();
        assertThat(smtp.port()).isEqualTo(587);
        assertThat(smtp.security()).isEqualTo(SmtpMailTransport.Security.STARTTLS);
        assertThat(smtp.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(production(Map.of("smtp.host", "m", "smtp.security", "TLS")).smtp().orElseThrow().port()).isEqualTo(465);
        var environment = Settings.production(Map.of("db.url", "jdbc:h2:mem:x", "blob.store", "folder", "blob.folder", "/tmp/x"),
                Map.of("DOSSIER_SMTP_HOST", "env.example.com", "DOSSIER_SMTP_USER", "u", "DOSSIER_SMTP_PASSWORD", "p"));
        assertThat(environment.smtp().orElseThrow().host()).isEqualTo("env.example.com");
        assertThat(environment.smtp().orElseThrow().user()).isEqualTo("u");
    }

    @Test
    void badValuesNameTheirSetting() {
        assertThatThrownBy(() -> production(Map.of("smtp.host", "m", "smtp.security", "ssl")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.security (DOSSIER_SMTP_SECURITY)");
        assertThatThrownBy(() -> production(Map.of("smtp.port", "25")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.port (DOSSIER_SMTP_PORT) needs smtp.host");
        assertThatThrownBy(() -> production(Map.of("smtp.host", "m", "smtp.user", "u")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.password (DOSSIER_SMTP_PASSWORD) is required with smtp.user");
        assertThatThrownBy(() -> production(Map.of("smtp.host", "m", "smtp.port", "99999")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.port");
    }
}
