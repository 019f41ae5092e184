package io.dossier.core.webhook;

import io.dossier.core.Failure;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may post: an http or https URL without user info, whose host resolves only to
 * public addresses, unless the tenant allows private targets ({@code webhooks.allow-private-targets}).
 * Refused otherwise: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
 * (169.254/16, fe80::/10, where cloud metadata services live), carrier-grade NAT (100.64/10),
 * the unspecified and multicast addresses. This keeps webhooks from being turned against the
 * server's own network. It is checked at registration and again before every attempt, as a name
 * may resolve elsewhere later (and redirects are never followed).
 */
public final class TargetCheck {

    /** How a host name becomes addresses; the JDK's resolver unless a test gives its own. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;

    public TargetCheck(Resolver resolver) {
        this.resolver = resolver;
    }

    public static TargetCheck standard() {
        return new TargetCheck(InetAddress::getAllByName);
    }

    /** The URL's form alone: http or https, a host, no user info, at most 2,000 characters. */
    public static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw Failure.invalid("url is required");
        }
        if (url.length() > 2000) {
            throw Failure.invalid("url is at most 2000 characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw Failure.invalid("url is not a URL: " + e.getMessage());
        }
        var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw Failure.invalid("url must be http or https, not '" + (uri.getScheme() == null ? "" : uri.getScheme()) + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Failure.invalid("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw Failure.invalid("url may not carry user info; the signature authenticates the sender");
        }
        if (uri.getRawFragment() != null) {
            throw Failure.invalid("url may not carry a fragment");
        }
        return uri;
    }

    /** Checks the URL and where its host resolves now; INVALID naming the reason when refused. */
    public URI check(String url, boolean allowPrivate) {
        var uri = parse(url);
        var host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw Failure.invalid("the host of url, " + host + ", does not resolve");
        }
        if (!allowPrivate) {
            for (var address : addresses) {
                if (privateAddress(address)) {
                    throw Failure.invalid("url resolves to " + address.getHostAddress() + ", a loopback, private or link-local address;"
                            + " the tenant setting webhooks.allow-private-targets allows such targets");
                }
            }
        }
        return uri;
    }

    static boolean privateAddress(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        var bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int a = bytes[0] & 0xff;
            int b = bytes[1] & 0xff;
            return a == 0 || a == 100 && b >= 64 && b <= 127 || a == 198 && (b == 18 || b == 19) || a >= 240;
        }
        if (address instanceof Inet6Address) {
            // unique local fc00::/7; an IPv4-mapped or -compatible address is judged by its IPv4 part
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            if (mapped && (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff || bytes[10] == 0 && bytes[11] == 0)) {
                try {
                    return privateAddress(InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
