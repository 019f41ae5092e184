package io.dossier.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Unexpected failures the in-process server logs while a test runs, looked up by the reference its
 * answer carries: the exception and the first frame of Dossier's code, so that a test's failure
 * message says where a 5xx came from.
 */
public final class LoggedFailures implements AutoCloseable {

    private static final Pattern REFERENCE = Pattern.compile("\\(reference ([0-9a-fA-F-]{36})\\)");

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LoggedFailures() {
        appender.setName("logged-failures");
        appender.start();
        root.addAppender(appender);
    }

    /** {@code Exception: message at io.dossier.…(File.java:N)} for {@code reference}, or null. */
    public String cause(String reference) {
        synchronized (appender.list) {
            for (var event : appender.list) {
                var m = REFERENCE.matcher(event.getFormattedMessage());
                if (m.find() && m.group(1).equals(reference) && event.getThrowableProxy() != null) {
                    return describe(event.getThrowableProxy());
                }
            }
        }
        return null;
    }

    private static String describe(IThrowableProxy thrown) {
        var frame = "";
        for (var proxy = thrown; proxy != null && frame.isEmpty(); proxy = proxy.getCause()) {
            for (var element : proxy.getStackTraceElementProxyArray()) {
                if (element.getStackTraceElement().getClassName().startsWith("io.dossier.")) {
                    frame = "at " + element.getStackTraceElement();
                    break;
                }
            }
        }
        return io.dossier.it.fuzz.Fuzzer.shortException(thrown.getClassName() + ": " + thrown.getMessage()) + " " + frame;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
