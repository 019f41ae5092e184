package io.dossier.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class LogSetupTest {

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

    @Test
    void aLineReadsAsThePatternLayoutWouldWriteIt() {
        var context = new LoggerContext();
        var pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(PATTERN);
        pattern.start();
        var line = new LogSetup.Line();
        line.setContext(context);
        line.start();
        var logger = context.getLogger("io.dossier.api.ows.OwsApi");
        var failure = new IllegalStateException("boom", new java.io.IOException("disk"));
        for (var event : java.util.List.of(
                new LoggingEvent("x", logger, Level.INFO, "request {} took {} ms", null, new Object[] {"r-1", 12}),
                new LoggingEvent("x", context.getLogger("dossier.access"), Level.WARN, "slow", null, null),
                new LoggingEvent("x", logger, Level.ERROR, "unexpected failure ref={}", failure, new Object[] {"abc"}))) {
            assertThat(line.doLayout(event)).isEqualTo(pattern.doLayout(event));
        }
        // the time of day, which the line keeps per second: within a second, across seconds, and back
        var base = java.time.Instant.parse("2026-12-03T15:59:58Z");
        for (long millis : new long[] {0, 5, 50, 999, 1000, 1007, 2345, 61_010, 1, 86_400_000 + 123}) {
            var event = new LoggingEvent("x", logger, Level.INFO, "at {}", null, new Object[] {millis});
            event.setInstant(base.plusMillis(millis));
            assertThat(line.doLayout(event)).isEqualTo(pattern.doLayout(event));
        }
    }

    @Test
    void theServerIsConfiguredInCodeWithItsLevels() {
        var context = new LoggerContext();
        var setup = new LogSetup();
        setup.setContext(context);
        // the test class path has no logback-test.xml in this module, so the setup applies
        assertThat(setup.configure(context)).isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("org.flywaydb.core").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.dossier.server").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("ROOT").getAppender("OUT")).isNotNull();
    }
}
