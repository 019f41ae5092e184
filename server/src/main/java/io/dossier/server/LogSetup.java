package io.dossier.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The server's logging, set up in code: one console appender writing
 * {@code HH:mm:ss.SSS LEVEL logger - message}, the root at {@code DOSSIER_LOG_LEVEL} (default
 * INFO), and the chatty libraries at WARN. Logback finds it through {@code META-INF/services}.
 *
 * <p>Why not a {@code logback.xml}: reading one (Logback's Joran: a SAX parse, a model, reflection
 * over every element) took about a third of the main thread's work in a server start, and its
 * pattern layout's table of converters more. A run that names its own file
 * ({@code -Dlogback.configurationFile=…}), or a test class path with a {@code logback-test.xml},
 * gets Logback's usual file configuration instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** Loggers held at WARN: their INFO is start-up chatter, not operations. */
    static final Map<String, Level> LEVELS = Map.of(
            "org.eclipse.jetty", Level.WARN,
            "org.flywaydb", Level.WARN,
            "com.zaxxer.hikari", Level.WARN,
            "org.jooq", Level.WARN,
            // jOOQ's open-source edition has one PostgreSQL dialect, for the newest server, and warns
            // "Version mismatch" on every start against an older one: a notice about jOOQ's support
            // matrix, not a fault. It has a logger of its own, so no other jOOQ warning is hidden.
            "org.jooq.impl.DefaultExecuteContext.logVersionSupport", Level.ERROR,
            "io.javalin", Level.WARN,
            "software.amazon.awssdk", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        var layout = new Line();
        layout.setContext(context);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        var out = new ConsoleAppender<ILoggingEvent>();
        out.setContext(context);
        out.setName("OUT");
        out.setEncoder(encoder);
        out.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level(), Level.INFO));
        root.addAppender(out);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static String level() {
        var property = System.getProperty("DOSSIER_LOG_LEVEL");
        return property != null ? property : System.getenv("DOSSIER_LOG_LEVEL");
    }

    /** {@code %d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n} and the stack trace of a throwable, as a pattern layout writes them. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(20);
        private final ZoneId zone = ZoneId.systemDefault();

        /** Abbreviated logger names: a handful of loggers, each abbreviated once rather than on every line. */
        private final java.util.concurrent.ConcurrentHashMap<String, String> abbreviated = new java.util.concurrent.ConcurrentHashMap<>();
        /** The {@code HH:mm:ss.} of the last second written, and that second: most lines fall in the same one. */
        private volatile Second second = new Second(Long.MIN_VALUE, "");

        private record Second(long epochSecond, String text) {
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            var line = new StringBuilder(128);
            var instant = event.getInstant();
            var current = second;
            if (current.epochSecond() != instant.getEpochSecond()) {
                var text = new StringBuilder(9);
                TIME.formatTo(LocalTime.ofInstant(instant, zone), text);
                current = new Second(instant.getEpochSecond(), text.substring(0, text.length() - 3));
                second = current;
            }
            int millis = instant.getNano() / 1_000_000;
            line.append(current.text()).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
            var level = event.getLevel().toString();
            line.append(' ').append(level).append(" ".repeat(Math.max(0, 5 - level.length())));
            line.append(' ').append(abbreviated.computeIfAbsent(event.getLoggerName(), abbreviator::abbreviate)).append(" - ")
                    .append(event.getFormattedMessage())
                    .append(CoreConstants.LINE_SEPARATOR);
            if (event.getThrowableProxy() != null) {
                line.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            return line.toString();
        }
    }
}
