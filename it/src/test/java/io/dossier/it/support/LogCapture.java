package io.dossier.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * What the server in this JVM logs while a test runs: every event of every logger, from the moment
 * of {@link #start()} until {@link #close()}. For tests of what an operator would see in the log.
 */
public final class LogCapture implements AutoCloseable {

    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }
    };

    private LogCapture() {
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** The events matching {@code filter}, waiting up to 10 s for at least {@code count} of them (log lines may trail the answer). */
    public List<ILoggingEvent> await(Predicate<ILoggingEvent> filter, int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            var matching = events.stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return events.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
