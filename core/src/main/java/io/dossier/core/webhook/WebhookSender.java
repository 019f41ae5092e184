package io.dossier.core.webhook;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Port: posts one notification over HTTP, following no redirect. */
public interface WebhookSender {

    /**
     * POSTs {@code body} as {@code application/json} with {@code headers} to {@code target} and
     * returns the answer's status once the whole answer has come; an answer that does not come
     * within {@code timeout} (connecting included) is an {@link IOException}, as is any network failure.
     */
    int post(URI target, Map<String, String> headers, String body, Duration timeout) throws IOException, InterruptedException;
}
