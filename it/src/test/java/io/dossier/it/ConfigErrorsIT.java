package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.server.Server;
import io.dossier.server.config.ConfigException;
import io.dossier.server.config.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing or wrong setting stops {@code dossier start} with one line naming the setting. */
class ConfigErrorsIT {

    @TempDir
    Path folder;

    Map<String, String> valid() {
        var values = new HashMap<String, String>();
        values.put("db.url", "jdbc:h2:file:" + folder.resolve("db"));
        values.put("blob.store", "folder");
        values.put("blob.folder", folder.resolve("blobs").toString());
        values.put("http.port", "0");
        return values;
    }

    static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String refusal(Map<String, String> file, Map<String, String> env) {
        var thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (var ignored = Server.start(Settings.production(file, env))) {
                // started: not expected
            }
        });
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n");
        return thrown.getMessage();
    }

    @Test
    void aMissingSettingIsNamed() {
        var file = valid();
        file.remove("db.url");
        assertThat(refusal(file, Map.of())).contains("db.url (DOSSIER_DB_URL)").contains("is required");
        file = valid();
        file.put("blob.store", "s3");
        assertThat(refusal(file, Map.of())).contains("s3.bucket");
    }

    @Test
    void aWrongSettingIsNamed() {
        var file = valid();
        file.put("db.url", "mysql://localhost/x");
        assertThat(refusal(file, Map.of())).contains("db.url").contains("jdbc:postgresql:");
        file = valid();
        file.put("http.port", "eighty");
        assertThat(refusal(file, Map.of())).contains("http.port").contains("number");
        file = valid();
        file.put("blob.store", "tape");
        assertThat(refusal(file, Map.of())).contains("blob.store").contains("'tape'");
        file = valid();
        file.put("blob.store", "s3");
        file.put("s3.bucket", "b");
        file.put("s3.access-key", "a");
        file.put("s3.secret-key", "s");
        file.put("s3.endpoint", "not a url");
        assertThat(refusal(file, Map.of())).contains("s3.endpoint");
    }

    @Test
    void theHttpLimitsAreReadAndAWrongOneIsNamed() {
        var file = valid();
        file.put("http.max-requests", "7");
        var limits = Settings.production(file, Map.of("DOSSIER_HTTP_BODY_DEADLINE_SECONDS", "90")).httpLimits();
        assertThat(limits.maxRequests()).isEqualTo(7);
        assertThat(limits.bodyDeadline()).hasSeconds(90);
        assertThat(limits.maxConnections()).isEqualTo(Settings.HttpLimits.defaults().maxConnections());
        file.put("http.body-min-bytes-per-second", "fast");
        assertThat(refusal(file, Map.of())).contains("http.body-min-bytes-per-second (DOSSIER_HTTP_BODY_MIN_BYTES_PER_SECOND)").contains("number");
        file = valid();
        file.put("http.max-connections", "0");
        assertThat(refusal(file, Map.of())).contains("http.max-connections").contains("positive");
    }

    @Test
    void unboundHoursMayBeAFractionAndTheBackgroundPeriodIsSet() {
        var file = valid();
        file.put("upload.unbound-hours", "0.01");
        file.put("background.period-seconds", "2");
        var settings = Settings.production(file, Map.of());
        assertThat(settings.unboundUploadTtl()).isEqualTo(java.time.Duration.ofSeconds(36));
        assertThat(settings.backgroundPeriod()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(Settings.production(valid(), Map.of()).backgroundPeriod()).isEqualTo(java.time.Duration.ofSeconds(60));
        file.put("upload.unbound-hours", "0");
        assertThat(refusal(file, Map.of())).contains("upload.unbound-hours").contains("positive number of hours");
        file = valid();
        file.put("background.period-seconds", "soon");
        assertThat(refusal(file, Map.of())).contains("background.period-seconds (DOSSIER_BACKGROUND_PERIOD_SECONDS)");
    }

    @Test
    void theEnvironmentOverridesTheFile() {
        var file = valid();
        assertThat(refusal(file, Map.of("DOSSIER_HTTP_PORT", "-1"))).contains("http.port (DOSSIER_HTTP_PORT)");
    }

    @Test
    void anUnreachableDatabaseIsNamed() throws Exception {
        var file = valid();
        file.put("db.url", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/dossier");
        assertThat(refusal(file, Map.of())).startsWith("setting db.url (DOSSIER_DB_URL)").contains("cannot be used");
    }

    @Test
    void anUnreachableBucketIsNamed() throws Exception {
        var file = valid();
        file.put("blob.store", "s3");
        file.put("s3.endpoint", "http://127.0.0.1:" + closedPort());
        file.put("s3.bucket", "nowhere");
        file.put("s3.access-key", "a");
        file.put("s3.secret-key", "s");
        assertThat(refusal(file, Map.of())).startsWith("setting s3.bucket (DOSSIER_S3_BUCKET)").contains("cannot be reached");
    }

    @Test
    void theCommandPrintsOneLineAndExitsWithStatusTwo() throws Exception {
        var config = folder.resolve("dossier.properties");
        Files.writeString(config, "db.url = jdbc:postgresql://127.0.0.1:" + closedPort() + "/x\nblob.store = folder\nblob.folder = "
                + folder.resolve("b") + "\n", StandardCharsets.UTF_8);
        var java = ProcessHandle.current().info().command().orElse("java");
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.dossier.server.Main",
                "start", "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        var lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).startsWith("dossier: setting db.url (DOSSIER_DB_URL)");
    }

    @Test
    void aConfigFileThatCannotBeReadIsNamed() {
        assertThatThrownBy(() -> io.dossier.server.config.ConfigFile.read(folder.resolve("missing.properties")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--config");
    }
}
