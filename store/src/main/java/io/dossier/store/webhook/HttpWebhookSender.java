package io.dossier.store.webhook;

import io.dossier.core.webhook.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts notifications with the JDK's HTTP client: no redirect is followed (a target could
 * otherwise send a delivery on to an address the target check refuses), the answer's body is
 * read and dropped, and the whole exchange, connecting included, must end within the timeout.
 */
public final class HttpWebhookSender implements WebhookSender {

    private final Duration connectTimeout;
    /** Made at the first notification: building one starts a selector thread and takes ~100 ms of a start. */
    private volatile HttpClient client;

    public HttpWebhookSender(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    private HttpClient client() {
        var made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(connectTimeout)
                            .build();
                    client = made;
                }
            }
        }
        return made;
    }

    @Override
    public int post(URI target, Map<String, String> headers, String body, Duration timeout) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Dossier-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        var exchange = client().sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        try {
            return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause() == null ? e.toString() : e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
    }
}
